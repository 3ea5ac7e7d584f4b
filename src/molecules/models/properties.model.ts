import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

/** RDKit descriptors of one molecule (computed with @rdkit/rdkit, see src/chem/). */
@ObjectType({ description: 'RDKit descriptors and drug-likeness scores of a molecule.' })
export class MolecularProperties {
  @Field(() => Float, { description: 'Average molecular weight, Da.' })
  mw!: number;

  @Field(() => Float, { description: 'Crippen cLogP (Wildman & Crippen 1999, doi:10.1021/ci990307l), log units.' })
  clogp!: number;

  @Field(() => Float, { description: 'Topological polar surface area (Ertl et al. 2000, doi:10.1021/jm000942e), Å².' })
  tpsa!: number;

  @Field(() => Int, { description: 'Hydrogen-bond donors (RDKit Lipinski NumHDonors definition).' })
  hbd!: number;

  @Field(() => Int, { description: 'Hydrogen-bond acceptors (RDKit Lipinski NumHAcceptors definition).' })
  hba!: number;

  @Field(() => Int, { description: 'Rotatable bonds (RDKit default definition).' })
  rotatableBonds!: number;

  @Field(() => Int, { description: 'Heavy (non-hydrogen) atoms.' })
  heavyAtoms!: number;

  @Field(() => Int, { description: 'Aromatic rings.' })
  aromaticRings!: number;

  @Field(() => Float, {
    description: 'QED, quantitative estimate of drug-likeness, 0..1 (Bickerton et al. 2012, doi:10.1038/nchem.1243; RDKit QED 1.1.0, mean weights).',
  })
  qed!: number;

  @Field(() => Float, {
    description: 'Synthetic accessibility score, 1 (easy) .. 10 (hard) (Ertl & Schuffenhauer 2009, doi:10.1186/1758-2946-1-8).',
  })
  sa!: number;

  @Field(() => Float, {
    description: 'Penalized logP as in the JT-VAE code (Jin et al. 2018, arXiv:1802.04364): normalised cLogP - SA - long-cycle penalty.',
  })
  plogp!: number;
}

import { Field, ObjectType } from '@nestjs/graphql';
import { MolecularProperties } from './properties.model';

/** A molecule as the user gave it (SMILES or approved-drug name), validated and described by RDKit. */
@ObjectType({ description: 'A molecule given as SMILES or approved-drug name, validated and described with RDKit.' })
export class Molecule {
  @Field({ description: 'The query string as given.' })
  input!: string;

  @Field(() => String, { nullable: true, description: 'ChEMBL preferred name when the input resolved as an approved-drug name.' })
  name!: string | null;

  @Field(() => String, { nullable: true, description: 'ChEMBL id when the input resolved as an approved-drug name.' })
  chemblId!: string | null;

  @Field({ description: 'True when RDKit parsed and sanitised the molecule.' })
  valid!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the molecule is invalid (null when valid).' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'RDKit canonical isomeric SMILES.' })
  canonicalSmiles!: string | null;

  @Field(() => String, { nullable: true, description: 'Standard InChIKey (27 characters).' })
  inchiKey!: string | null;

  @Field(() => MolecularProperties, { nullable: true })
  properties!: MolecularProperties | null;
}

/** One row of a filterMolecules answer. */
@ObjectType({ description: 'RDKit validity of one input SMILES.' })
export class FilterResult {
  @Field({ description: 'The SMILES as given.' })
  input!: string;

  @Field()
  valid!: boolean;

  @Field(() => String, { nullable: true, description: 'RDKit canonical isomeric SMILES when valid.' })
  canonicalSmiles!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the SMILES was rejected (null when valid).' })
  reason!: string | null;
}

import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { LIMITS } from '../config/config';
import { ApprovedDrug } from './models/drug.model';
import { FilterResult, Molecule } from './models/molecule.model';
import { HIGHLIGHT_DESCRIPTION, MoleculesService } from './molecules.service';

@Resolver(() => Molecule)
export class MoleculesResolver {
  constructor(private readonly molecules: MoleculesService) {}

  @Query(() => Molecule, {
    description:
      'Validate and describe a molecule given as SMILES or approved-drug name (case-insensitive, ChEMBL parent without salts). ' +
      'Invalid SMILES and unknown names give valid: false with the reason.',
  })
  molecule(@Args('query', { description: `SMILES or drug name, at most ${LIMITS.maxInputLength} characters.` }) query: string): Molecule {
    if (query.length > LIMITS.maxInputLength) {
      return { input: query.slice(0, 50) + '…', name: null, chemblId: null, valid: false, reason: `input longer than ${LIMITS.maxInputLength} characters`, canonicalSmiles: null, inchiKey: null, properties: null };
    }
    return this.molecules.molecule(query);
  }

  @Query(() => [FilterResult], {
    description: `RDKit validity and canonical SMILES for each input, with a reason for each rejection. At most ${LIMITS.maxFilterBatch} SMILES (LIMIT_EXCEEDED).`,
  })
  filterMolecules(@Args('smiles', { type: () => [String] }) smiles: string[]): FilterResult[] {
    return this.molecules.filter(smiles);
  }

  @Query(() => [ApprovedDrug], { description: 'Approved drugs whose name starts with `prefix` (case-insensitive), for autocomplete.' })
  approvedDrugs(
    @Args('prefix') prefix: string,
    @Args('first', { type: () => Int, defaultValue: 10, description: 'At most 50.' }) first: number,
  ): ApprovedDrug[] {
    return this.molecules.searchDrugs(prefix.slice(0, LIMITS.maxInputLength), Math.max(1, Math.min(50, first)));
  }

  @ResolveField(() => String, { nullable: true, description: 'SVG depiction (RDKit), null for invalid molecules. Errors: INVALID_SMARTS (highlight), LIMIT_EXCEEDED (size).' })
  svg(
    @Parent() m: Molecule,
    @Args('width', { type: () => Int, defaultValue: 300, description: 'Pixels, 50..1000.' }) width: number,
    @Args('height', { type: () => Int, defaultValue: 200, description: 'Pixels, 50..1000.' }) height: number,
    @Args('highlight', { type: () => String, nullable: true, description: HIGHLIGHT_DESCRIPTION }) highlight: string | null,
  ): string | null {
    return m.canonicalSmiles ? this.molecules.svg(m.canonicalSmiles, width, height, highlight) : null;
  }
}

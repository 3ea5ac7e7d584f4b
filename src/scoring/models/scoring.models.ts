import { Field, Float, ObjectType } from '@nestjs/graphql';
import type { ComponentKind } from '../spec';
import { ScoringComponentKind } from './scoring.enums';

@ObjectType({ description: 'A component kind of the scoring language.' })
export class ScoringComponentInfo {
  @Field(() => ScoringComponentKind)
  kind!: ComponentKind;

  @Field()
  description!: string;

  @Field({ description: 'Unit of the raw value ("" when dimensionless), e.g. Da, Å², count.' })
  unit!: string;

  @Field({ description: 'True when the raw value is always in [0, 1]: usable without a transform.' })
  unitRange!: boolean;

  @Field(() => [String], { description: 'Parameter fields this kind takes (besides name, weight, transform, min, max).' })
  parameters!: string[];

  @Field({ description: 'Definition and literature source.' })
  source!: string;
}

@ObjectType({ description: "One soft component's contribution." })
export class ComponentScore {
  @Field()
  name!: string;

  @Field(() => Float, { nullable: true, description: 'Raw value in the unit of its kind; null when it could not be computed.' })
  raw!: number | null;

  @Field(() => Float, { description: 'Transformed value, 0..1.' })
  value!: number;

  @Field(() => Float)
  weight!: number;
}

@ObjectType({ description: "One hard constraint's verdict." })
export class ConstraintVerdict {
  @Field()
  name!: string;

  @Field(() => Float, { nullable: true })
  raw!: number | null;

  @Field()
  satisfied!: boolean;
}

@ObjectType({ description: 'A molecule scored by an objective.' })
export class MoleculeScore {
  @Field({ description: 'The SMILES as given.' })
  input!: string;

  @Field(() => String, { nullable: true, description: 'RDKit canonical SMILES; null when invalid.' })
  canonicalSmiles!: string | null;

  @Field()
  valid!: boolean;

  @Field(() => String, { nullable: true, description: 'Why RDKit rejected the SMILES.' })
  reason!: string | null;

  @Field(() => Float, { nullable: true, description: 'Aggregated score 0..1 (0 when a constraint fails); null when invalid.' })
  score!: number | null;

  @Field(() => Float, { nullable: true, description: 'Aggregate of the soft components, whatever the constraints say.' })
  softScore!: number | null;

  @Field(() => Boolean, { nullable: true })
  feasible!: boolean | null;

  @Field(() => [ComponentScore])
  components!: ComponentScore[];

  @Field(() => [ConstraintVerdict])
  constraints!: ConstraintVerdict[];
}

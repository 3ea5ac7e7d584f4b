import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'An approved drug from ChEMBL (CC BY-SA 3.0, EMBL-EBI), parent molecule without salts.' })
export class ApprovedDrug {
  @Field({ description: 'ChEMBL preferred name.' })
  name!: string;

  @Field()
  chemblId!: string;

  @Field({ description: 'Parent molecule SMILES (largest fragment, salts stripped).' })
  smiles!: string;
}

import { ArgsType, Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { LIMITS } from '../../config/config';
import { CandidateOrderBy, SortDirection } from '../models/candidate.models';

@InputType({ description: 'Inclusive range on a property; omit a bound to leave it open.' })
export class RangeInput {
  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  min?: number;

  @Field(() => Float, { nullable: true })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  max?: number;
}

@InputType({ description: 'Property ranges a candidate must satisfy (all of them).' })
export class CandidateFilterInput {
  @Field(() => RangeInput, { nullable: true, description: 'MW, Da.' }) @IsOptional() @ValidateNested() @Type(() => RangeInput) mw?: RangeInput;
  @Field(() => RangeInput, { nullable: true, description: 'Crippen cLogP.' }) @IsOptional() @ValidateNested() @Type(() => RangeInput) clogp?: RangeInput;
  @Field(() => RangeInput, { nullable: true, description: 'TPSA, Å².' }) @IsOptional() @ValidateNested() @Type(() => RangeInput) tpsa?: RangeInput;
  @Field(() => RangeInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => RangeInput) qed?: RangeInput;
  @Field(() => RangeInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => RangeInput) sa?: RangeInput;
  @Field(() => RangeInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => RangeInput) plogp?: RangeInput;
  @Field(() => RangeInput, { nullable: true }) @IsOptional() @ValidateNested() @Type(() => RangeInput) heavyAtoms?: RangeInput;
}

@ArgsType()
export class CandidatesArgs {
  @Field(() => Int, { defaultValue: 20, description: `Page size, 1..${LIMITS.maxPageSize}.` })
  @IsInt()
  @Min(1)
  @Max(LIMITS.maxPageSize)
  first!: number;

  @Field(() => String, { nullable: true, description: 'endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  after?: string;

  @Field(() => ID, { nullable: true, description: 'Only candidates of this run.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  runId?: string;

  @Field(() => CandidateOrderBy, { defaultValue: CandidateOrderBy.CREATED_AT })
  @IsEnum(CandidateOrderBy)
  orderBy!: CandidateOrderBy;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  @IsEnum(SortDirection)
  direction!: SortDirection;

  @Field(() => CandidateFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CandidateFilterInput)
  filter?: CandidateFilterInput;
}

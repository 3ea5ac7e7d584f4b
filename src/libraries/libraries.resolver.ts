import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { BadUserInputError } from '../common/errors';
import {
  AddRunToLibraryInput,
  AddToLibraryInput,
  AnnotateLibraryEntryInput,
  CreateLibraryInput,
  LibrariesArgs,
  LibraryArgs,
  LibraryEntriesArgs,
  LibraryEntriesInput,
  TagLibraryEntriesInput,
  UpdateLibraryInput,
} from './dto/library.inputs';
import { LibrariesService } from './libraries.service';
import { toAddResult, toEntryConnection, toEntryQuery, toLibrary, toLibraryConnection, toLibraryEntry } from './libraries.mappers';
import { AddToLibraryResult, Library, LibraryConnection, LibraryEntry, LibraryEntryConnection, RemoveFromLibraryResult } from './models/library.models';

/** Named candidate libraries (docs/libraries.md). Thin: every call goes to LibrariesService. */
@Resolver(() => Library)
export class LibrariesResolver {
  constructor(private readonly service: LibrariesService) {}

  @Query(() => LibraryConnection, { description: 'Libraries ordered by name, paginated with cursors. Errors: INVALID_CURSOR.' })
  async libraries(@Args() args: LibrariesArgs): Promise<LibraryConnection> {
    return toLibraryConnection(await this.service.listLibraries(args.first, args.after));
  }

  @Query(() => Library, { description: 'A library by id or by exact name (give exactly one). Errors: NOT_FOUND, BAD_USER_INPUT.' })
  async library(@Args() args: LibraryArgs): Promise<Library> {
    return toLibrary(await this.service.getLibrary(args));
  }

  @Query(() => LibraryEntryConnection, {
    description:
      "A library's entries, filtered (property, score and tag conditions, note text, substructure, similarity) and " +
      'ordered, with cursors. Substructure and similarity searches scan at most 10,000 entries selected by the other ' +
      'conditions. Errors: NOT_FOUND, INVALID_CURSOR, INVALID_SMARTS, INVALID_SMILES, UNKNOWN_MOLECULE_NAME, ' +
      'LIMIT_EXCEEDED, BAD_USER_INPUT.',
  })
  async libraryEntries(@Args() args: LibraryEntriesArgs): Promise<LibraryEntryConnection> {
    const page = await this.service.listEntries(args.libraryId, toEntryQuery(args.filter, args.orderBy, args.direction), args.first, args.after);
    return toEntryConnection(page);
  }

  @Mutation(() => Library, { description: 'Create an empty library. Errors: CONFLICT (name taken), BAD_USER_INPUT.' })
  async createLibrary(@Args('input') input: CreateLibraryInput): Promise<Library> {
    return toLibrary(await this.service.createLibrary(input.name, input.description));
  }

  @Mutation(() => Library, { description: 'Rename a library and/or change its description. Errors: NOT_FOUND, CONFLICT, BAD_USER_INPUT.' })
  async updateLibrary(@Args('input') input: UpdateLibraryInput): Promise<Library> {
    if ((input.name === undefined || input.name === null) && input.description === undefined) throw new BadUserInputError('give a new name or description');
    return toLibrary(await this.service.updateLibrary(input.id, { name: input.name, description: input.description }));
  }

  @Mutation(() => Boolean, { description: 'Delete a library with its entries, notes and tags (candidates and runs stay). Errors: NOT_FOUND.' })
  deleteLibrary(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.deleteLibrary(id);
  }

  @Mutation(() => AddToLibraryResult, {
    description:
      'Add stored candidates (candidateIds) or molecules (smiles: SMILES or approved-drug names, stored as candidates) ' +
      'to a library; all or nothing. Errors: NOT_FOUND (library or candidate ids), INVALID_SMILES, UNKNOWN_MOLECULE_NAME, ' +
      'LIMIT_EXCEEDED, BAD_USER_INPUT.',
  })
  async addToLibrary(@Args('input') input: AddToLibraryInput): Promise<AddToLibraryResult> {
    const hasIds = input.candidateIds !== undefined && input.candidateIds !== null;
    const hasSmiles = input.smiles !== undefined && input.smiles !== null;
    if (hasIds === hasSmiles) throw new BadUserInputError('give exactly one of candidateIds and smiles');
    const tags = input.tags ?? [];
    const result = hasIds
      ? await this.service.addCandidates(input.libraryId, input.candidateIds as string[], tags)
      : await this.service.addSmiles(input.libraryId, input.smiles as string[], tags);
    return toAddResult(result);
  }

  @Mutation(() => AddToLibraryResult, {
    description: "Add a run's candidates (all, or chosen positions) with their scores and the run as source. Errors: NOT_FOUND (library, run or positions), LIMIT_EXCEEDED.",
  })
  async addRunToLibrary(@Args('input') input: AddRunToLibraryInput): Promise<AddToLibraryResult> {
    return toAddResult(await this.service.addRun(input.libraryId, input.runId, input.positions ?? null, input.tags ?? []));
  }

  @Mutation(() => RemoveFromLibraryResult, { description: 'Remove candidates from a library (the candidates stay stored). Errors: NOT_FOUND (library, or a candidate not in it; nothing removed).' })
  async removeFromLibrary(@Args('input') input: LibraryEntriesInput): Promise<RemoveFromLibraryResult> {
    const r = await this.service.remove(input.libraryId, input.candidateIds);
    return { library: toLibrary(r.library), removed: r.removed };
  }

  @Mutation(() => LibraryEntry, { description: "Set or clear the note of a candidate's entry. Errors: NOT_FOUND, BAD_USER_INPUT." })
  async annotateLibraryEntry(@Args('input') input: AnnotateLibraryEntryInput): Promise<LibraryEntry> {
    return toLibraryEntry(await this.service.annotate(input.libraryId, input.candidateId, input.note ?? null));
  }

  @Mutation(() => [LibraryEntry], { description: 'Add tags to entries (lower-cased; kept once). Errors: NOT_FOUND (a candidate not in the library), BAD_USER_INPUT.' })
  async tagLibraryEntries(@Args('input') input: TagLibraryEntriesInput): Promise<LibraryEntry[]> {
    return (await this.service.tag(input.libraryId, input.candidateIds, input.tags, true)).map((e) => toLibraryEntry(e));
  }

  @Mutation(() => [LibraryEntry], { description: 'Remove tags from entries (absent tags are ignored). Errors: NOT_FOUND, BAD_USER_INPUT.' })
  async untagLibraryEntries(@Args('input') input: TagLibraryEntriesInput): Promise<LibraryEntry[]> {
    return (await this.service.tag(input.libraryId, input.candidateIds, input.tags, false)).map((e) => toLibraryEntry(e));
  }
}

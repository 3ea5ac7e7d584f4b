/**
 * `npm run apikey -- <command>`: API key administration (create, list, revoke) against DATABASE_URL.
 * The logic is src/auth/cli.ts; from a build use `node dist/auth/cli.js <command>`. See docs/security.md.
 */
import { main } from '../src/auth/cli';

main();

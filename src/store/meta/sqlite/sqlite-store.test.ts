import { randomBytes } from 'node:crypto';
import { metadataStoreContract } from '../metadata-store-contract.js';
import { SqliteMetadataStore } from './sqlite-store.js';

metadataStoreContract('SQLite', async () => SqliteMetadataStore.open({ path: ':memory:', newVersionId: () => randomBytes(12).toString('base64url') }));

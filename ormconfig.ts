// The DataSource the TypeORM CLI uses, built from the same options as the app (src/database).
// With DATABASE_URL it is that server; without it, the embedded PostgreSQL under PGLITE_DIR.
import 'reflect-metadata';

import { openDataSource } from './src/database/open-data-source';

export default openDataSource();

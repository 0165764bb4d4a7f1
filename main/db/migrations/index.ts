import type { Database } from 'better-sqlite3';
import * as m001 from './001-initial.js';
import * as m002 from './002-metric-rollups.js';
import * as m003 from './003-imported-datasets.js';
import * as m004 from './004-favorite-latents.js';
import * as m005 from './005-training-signals.js';
import * as m006 from './006-super-resolution.js';
import * as m007 from './007-translation.js';
import * as m008 from './008-augment-studies.js';
import * as m009 from './009-captions.js';
import * as m010 from './010-class-balance.js';
import * as m011 from './011-remote-runs.js';
import * as m012 from './012-settings.js';
import * as m013 from './013-augment-probability.js';
import * as m014 from './014-memorisation.js';
import * as m015 from './015-fine-tunes.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** In order; a migration's version is its position. Never edit a released one: add the next. */
export const MIGRATIONS: Migration[] = [
  { version: 1, name: '001-initial', up: m001.up },
  { version: 2, name: '002-metric-rollups', up: m002.up },
  { version: 3, name: '003-imported-datasets', up: m003.up },
  { version: 4, name: '004-favorite-latents', up: m004.up },
  { version: 5, name: '005-training-signals', up: m005.up },
  { version: 6, name: '006-super-resolution', up: m006.up },
  { version: 7, name: '007-translation', up: m007.up },
  { version: 8, name: '008-augment-studies', up: m008.up },
  { version: 9, name: '009-captions', up: m009.up },
  { version: 10, name: '010-class-balance', up: m010.up },
  { version: 11, name: '011-remote-runs', up: m011.up },
  { version: 12, name: '012-settings', up: m012.up },
  { version: 13, name: '013-augment-probability', up: m013.up },
  { version: 14, name: '014-memorisation', up: m014.up },
  { version: 15, name: '015-fine-tunes', up: m015.up },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

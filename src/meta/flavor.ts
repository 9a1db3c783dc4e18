import {parseFields} from './list.js';
import {refusal} from './refusal.js';

export interface Flavor {
  /**
   * `highest` (image-publish): `auto`, and at tag time `latest` moves only when this release is at
   * least the highest final semver release the repository already holds (meta/latest.ts).
   */
  latest: 'auto' | 'true' | 'false' | 'highest';
  prefix: string;
  prefixLatest: boolean;
  suffix: string;
  suffixLatest: boolean;
}

const KEYS = 'latest=, prefix=, suffix= and onlatest=';

export function parseFlavor(entries: string[], input = 'flavor'): Flavor {
  const flavor: Flavor = {latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false};
  for (const entry of entries) {
    let onlatestFor = '';
    const refuse = (rule: string): Error => refusal(input, entry, rule);
    for (const parts of parseFields(entry, input)) {
      if (parts.length === 1) {
        throw refuse(`not key=value; flavor takes ${KEYS}`);
      }
      const key = parts[0].toLowerCase();
      const value = parts[1];
      switch (key) {
        case 'latest':
          if (value !== 'auto' && value !== 'true' && value !== 'false' && value !== 'highest') {
            throw refuse(`latest=${value} is not one of auto, true, false, highest`);
          }
          flavor.latest = value;
          break;
        case 'prefix':
          flavor.prefix = value;
          onlatestFor = 'prefix';
          break;
        case 'suffix':
          flavor.suffix = value;
          onlatestFor = 'suffix';
          break;
        case 'onlatest':
          if (value !== 'true' && value !== 'false') {
            throw refuse(`onlatest=${value} is not true or false`);
          }
          if (onlatestFor === 'prefix') flavor.prefixLatest = value === 'true';
          if (onlatestFor === 'suffix') flavor.suffixLatest = value === 'true';
          break;
        default:
          throw refuse(`unknown attribute "${key}"; flavor takes ${KEYS}`);
      }
    }
  }
  return flavor;
}

import {parseFields} from './list.js';

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

export function parseFlavor(entries: string[]): Flavor {
  const flavor: Flavor = {latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false};
  for (const entry of entries) {
    let onlatestFor = '';
    for (const parts of parseFields(entry)) {
      if (parts.length === 1) {
        throw new Error(`Invalid flavor entry: ${entry}`);
      }
      const key = parts[0].toLowerCase();
      const value = parts[1];
      switch (key) {
        case 'latest':
          if (value !== 'auto' && value !== 'true' && value !== 'false' && value !== 'highest') {
            throw new Error(`Invalid latest flavor entry: ${entry}`);
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
            throw new Error(`Invalid value for onlatest attribute: ${value}`);
          }
          if (onlatestFor === 'prefix') flavor.prefixLatest = value === 'true';
          if (onlatestFor === 'suffix') flavor.suffixLatest = value === 'true';
          break;
        default:
          throw new Error(`Unknown flavor entry: ${entry}`);
      }
    }
  }
  return flavor;
}

declare module '@renovate/pep440' {
  export interface Explained {
    epoch: number;
    release: number[];
    pre: [string, number] | null;
    post: [string, number] | null;
    dev: [string, number] | null;
    local: string | null;
    public: string;
    base_version: string;
    is_prerelease: boolean;
    is_devrelease: boolean;
    is_postrelease: boolean;
  }
  export function valid(version: string): string | null;
  export function clean(version: string): string | null;
  export function explain(version: string): Explained | null;
  export function major(version: string): number;
  export function minor(version: string): number;
  export function patch(version: string): number;
}

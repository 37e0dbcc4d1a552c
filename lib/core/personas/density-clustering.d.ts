// Types for the parts of `density-clustering` (plain CommonJS, ships no types) that dbscan-fit.ts uses.
declare module 'density-clustering' {
  export class DBSCAN {
    constructor();
    /** Clusters as lists of point indices; points in no cluster end up in `noise`. */
    run(dataset: number[][], epsilon: number, minPts: number, distance?: (a: number[], b: number[]) => number): number[][];
    noise: number[];
    /** Internal merge of neighbourhoods (Array.indexOf per element); replaced in dbscan-fit.ts. */
    _mergeArrays(a: number[], b: number[]): number[];
  }
  const clustering: { DBSCAN: typeof DBSCAN };
  export default clustering;
}

// What Export Records… runs, in one module that the extension loads on the first export
// (esbuild bundles it apart as dist/exportCore.js, with csv-stringify and csv-parse), so
// activation does not pay for the CSV libraries.
export { exportToFile } from './exportFile';
export { listingPages, recordPages } from './exportPages';

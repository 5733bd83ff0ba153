/**
 * What every file import shares: running a file job so that running it again converges
 * ({@link io.segmat.ingest.FileJobRunner}), reading JSON records with their lines,
 * reading ahead in a thread of its own, the restart-safe tally of counts and row errors,
 * and the temporary file that carries a request body into a job
 * ({@link io.segmat.ingest.TempFiles}). It knows nothing of contacts or events.
 */
package io.segmat.ingest;

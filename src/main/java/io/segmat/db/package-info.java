/**
 * The database: which one a command uses (an external URL, or the embedded PostgreSQL
 * under {@code SEGMAT_HOME}, one command at a time, stopping the server a killed command
 * left running) and which schema in it holds the account ({@code SEGMAT_DB_SCHEMA}, the
 * search_path of every connection), the change sequence whose committed watermark tells
 * the refresh what changed ({@link io.segmat.db.ChangeSequence}), and every advisory lock
 * segmat takes ({@link io.segmat.db.AdvisoryLock}), each per account. The tables
 * themselves are the Flyway migrations in {@code db/migration};
 * {@link io.segmat.db.SchemaCheck} spares a command Flyway's start when one query finds
 * them all applied.
 */
package io.segmat.db;

/**
 * segmat: keeps SendGrid-style contact segments materialized in PostgreSQL.
 * <p>
 * This package holds the application ({@link io.segmat.SegmatApplication}), the jar's
 * entry point, and the three failures every capability may raise and every front end maps
 * the same way: {@link io.segmat.InvalidInputException} (exit 2, HTTP 400),
 * {@link io.segmat.NotFoundException} (exit 2, HTTP 404) and
 * {@link io.segmat.LimitExceededException} (exit 4, HTTP 429).
 * <p>
 * Capabilities, each a package with a small public face: {@code query} (the
 * {@code query_dsl} compiler and the description of a contact's columns), {@code fields}
 * and {@code lists} (custom fields, static lists), {@code ingest} (what every file import
 * shares), {@code contacts} and {@code events} (their imports and deletion),
 * {@code segments} (the segment lifecycle), {@code refresh} (the materialization jobs),
 * {@code changes} (the membership change feed: reading, retention, webhook delivery),
 * {@code search} (contact search and the dry run of a query, read-only), {@code db} (the
 * database, its change sequence and advisory locks), {@code metrics} (what operators
 * watch: meters, the scrape and the Pushgateway push), and two front ends, {@code cli}
 * and {@code api}, plus {@code demo}. {@link io.segmat.LogEncoder} writes every log line,
 * as text or structured JSON.
 */
package io.segmat;

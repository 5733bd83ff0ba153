/**
 * Evaluating a query now, without saving anything: SendGrid's contact search (a condition
 * in the segment language, {@link io.segmat.search.ContactSearch}), the lookup of
 * contacts by email, and the dry run of a segment's new query
 * ({@link io.segmat.search.QueryPreview}): its count, who would enter and who would
 * leave.
 * <p>
 * Every evaluation runs in a read-only transaction ({@code SET TRANSACTION READ ONLY}:
 * PostgreSQL itself refuses any write in it) under a statement timeout; a query past it
 * is an {@link io.segmat.search.EvaluationTimeoutException}. Queries are compiled by
 * {@link io.segmat.query.QueryCompiler}, never passed on as text.
 */
package io.segmat.search;

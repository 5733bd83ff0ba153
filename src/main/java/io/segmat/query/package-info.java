/**
 * The {@code query_dsl} compiler: parses a segment query with JSqlParser, checks it against the
 * segment language (docs: shared/spec/query-language.md) and the account's custom fields, and
 * compiles it to one PostgreSQL SELECT of {@code contact_key} over segmat's schema with every
 * literal bound as a parameter. Nothing of the user's text reaches the database as SQL.
 *
 * <h2>Limits</h2>
 * Checked on the raw text before the parser runs ({@link io.segmat.query.QueryLimits}):
 * <ul>
 * <li>query length: at most 100,000 characters;</li>
 * <li>nesting depth: at most 50 levels of parentheses and brackets, counted outside string
 * literals, quoted identifiers and comments;</li>
 * <li>values in one list ({@code IN (...)}, array literal, function arguments): at most 1,000.</li>
 * </ul>
 * A compiled query also has at most 30,000 bound parameters, and parsing plus checking must
 * finish within 20 seconds.
 *
 * <h2>Public face</h2>
 * {@link io.segmat.query.QueryCompiler} (validate, compile), {@link io.segmat.query.FieldCatalog},
 * {@link io.segmat.query.QueryExplainer}, and the records they return. A refused query is a
 * {@link io.segmat.query.QueryException} whose message names the offending token, its line and
 * column, and what was expected.
 */
package io.segmat.query;

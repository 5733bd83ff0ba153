/**
 * The {@code query_dsl} compiler: parses a segment query with JSqlParser, checks it
 * against the segment language (SendGrid's Segments 2.0 SQL subset, with the limits and
 * semantics below) and the account's custom fields, and compiles it to one PostgreSQL
 * SELECT of {@code contact_key} over segmat's schema with every literal bound as a
 * parameter. Nothing of the user's text reaches the database as SQL.
 *
 * <h2>Limits</h2> Checked on the raw text before the parser runs
 * ({@link io.segmat.query.QueryLimits}):
 * <ul>
 * <li>query length: at most 100,000 characters;</li>
 * <li>nesting depth: at most 50 levels of parentheses and brackets, counted outside
 * string literals, quoted identifiers and comments;</li>
 * <li>values in one list ({@code IN (...)}, array literal, function arguments): at most
 * 1,000;</li>
 * <li>conditions: at most 2,000 {@code AND}, {@code OR} and {@code NOT} operators
 * (fixed);</li>
 * <li>arithmetic: at most 2,000 binary {@code + - * / % ||} operators (fixed): an
 * unparenthesized chain of them is a syntax tree as deep as it is long.</li>
 * </ul>
 * A compiled query also has at most 30,000 bound parameters, and parsing plus checking
 * must finish within 20 seconds.
 *
 * <h2>Semantics the compiler fixes</h2>
 * <ul>
 * <li>Strings: a quote is doubled or written {@code \'}; {@code \\} is a backslash and
 * {@code \"} a double quote; any other backslash stands for itself, so
 * {@code LIKE '50\%'} keeps PostgreSQL's LIKE escape.</li>
 * <li>{@code CURRENT_TIMESTAMP}, {@code CURRENT_TIMESTAMP()} and {@code NOW()} are the
 * {@code asOf} passed in. Timestamp arithmetic happens in UTC: constant parts are folded
 * at compile time into one bound timestamp, so {@code occurred_at} is compared bare.</li>
 * <li>A JOIN with event_data means "some event of the contact satisfies the event-side
 * conditions"; conditions that read only the contact stay outside that EXISTS. GROUP
 * BY/HAVING aggregates over the contact's matching events, and a contact with none is not
 * in any group. It compiles to one grouped scan of the events, semi-joined to contact
 * only when other conditions read the contact ({@code CompiledQuery.sql});
 * {@code CompiledQuery.probeSql} keeps the aggregate correlated to each contact, for a
 * refresh that looks at a few named contacts.</li>
 * <li>When every top-level condition is a set of contacts read from its own rows (a
 * list's memberships, the joined events, a {@code contact_id IN} or {@code EXISTS}
 * subquery over events, the grouped events, the parent list), {@code CompiledQuery.sql}
 * reads no contact: the first set drives, the others are semi-joins to it, and
 * {@code CompiledQuery.probeSqlOver} tests named contacts' keys without reading their
 * rows. This relies on email_event and list_member holding rows of existing contacts only
 * ({@link io.segmat.query.KeySet}).</li>
 * <li>{@code [NOT] IN (SELECT contact_id FROM event_data ...)} becomes
 * {@code [NOT] EXISTS}; contact_id is never NULL, so this is SQL's meaning. A NULL in an
 * {@code IN} value list keeps SQL's meaning too. Division or modulo by zero gives NULL
 * rather than failing the run.</li>
 * <li>JSqlParser 5.3 nests {@code x IN (...) AND ...} wrongly;
 * {@link io.segmat.query.InPrecedence} restores SQL's precedence before checking.</li>
 * </ul>
 *
 * <h2>Phases</h2> {@link io.segmat.query.RawText} scans the text (limits, tokens);
 * {@link io.segmat.query.QueryParser} runs JSqlParser; {@link io.segmat.query.Translator}
 * checks the statement's shape ({@link io.segmat.query.StatementShape}) and compiles its
 * conditions through {@link io.segmat.query.ExpressionCompiler}, which dispatches each
 * node type to one unit (conditions, event subqueries, columns, arithmetic, functions,
 * aggregates, literals) and refuses any other. What compiling gathers is kept in
 * {@link io.segmat.query.CompileContext}; error positions come from the parser's tokens
 * through {@link io.segmat.query.SourcePositions}. {@link io.segmat.query.RecentQueries}
 * keeps recent parses and results, so a refresh compiling the same query again, at the
 * same or another instant, neither parses nor waits for another thread.
 *
 * <h2>Conditions</h2> Contact search takes a bare condition, the WHERE of a segment query
 * ({@code email LIKE 'ann%' AND CONTAINS(list_ids, '...')}).
 * {@link io.segmat.query.QueryCompiler#compileCondition} parses it as one expression of
 * the user's text alone, refuses anything after it, and grafts it into a built
 * {@code SELECT contact_id, updated_at FROM contact_data}: the same columns, functions,
 * limits and errors as a segment's query, with every position in the user's text.
 *
 * <h2>Public face</h2> {@link io.segmat.query.QueryCompiler} (validate, compile,
 * compileCondition), {@link io.segmat.query.FieldCatalog},
 * {@link io.segmat.query.QueryExplainer}, and the records they return. A refused query is
 * a {@link io.segmat.query.QueryException} whose message names the offending token, its
 * line and column, and what was expected.
 */
package io.segmat.query;

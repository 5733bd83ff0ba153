/**
 * The HTTP API of {@code segmat serve}: SendGrid's Marketing Campaigns endpoints for
 * segments, contacts, lists, field definitions and the event webhook, answered in
 * SendGrid's shapes so that an existing SendGrid client needs only a new base URL.
 * <p>
 * Owns the web layer only: Bearer key checking and the body size limit
 * ({@code ApiSecurityFilter}), request parsing and SendGrid's error bodies
 * ({@code ApiExceptionHandler}). Everything the controllers do is a public service of
 * another package, the same one the command line calls.
 */
package io.segmat.api;

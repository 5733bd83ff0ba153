/**
 * The command line ({@code java -jar segmat.jar ...}), with picocli. Each command opens
 * the database ({@code CommandContext}), calls the same public services the API calls,
 * prints results as JSON or a table on stdout and messages on stderr, and ends with one
 * of the documented exit codes ({@code ExitCodes}). {@code ErrorHandler} is where
 * exceptions become a message and an exit code, so no stack trace or PostgreSQL text
 * reaches a user unless {@code SEGMAT_DEBUG} asks for it.
 */
package io.segmat.cli;

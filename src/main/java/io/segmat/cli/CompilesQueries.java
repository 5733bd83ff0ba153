package io.segmat.cli;

/**
 * Marks a command that compiles query_dsl: its fresh JVM compiles a few queries on
 * another thread while the context starts ({@link io.segmat.query.QueryWarmUp}), so that
 * the command's own first compile is not a cold one.
 */
interface CompilesQueries {

}

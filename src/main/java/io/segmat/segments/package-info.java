/**
 * The segment lifecycle with SendGrid's Segments 2.0 rules: create, update, list, get and
 * delete, each query checked by the compiler and stored with its dependencies, so that
 * the refresh can plan without compiling; and reading a segment's whole membership
 * ({@link io.segmat.segments.SegmentMembers}). Evaluating segments is {@code refresh}'s.
 */
package io.segmat.segments;

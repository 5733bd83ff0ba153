/**
 * The demo of {@code make run}: a realistic, seeded data set of contacts, lists, custom
 * fields and 90 days of email events, loaded through the same import jobs a user's files
 * go through, and a set of segments written as a SendGrid user would write them.
 */
package io.segmat.demo;

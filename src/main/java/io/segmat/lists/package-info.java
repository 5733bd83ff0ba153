/**
 * Static contact lists, as SendGrid's lists API shows them. A change of membership is a
 * change of the members' {@code list_ids}, so it takes part in the change sequence that
 * the refresh reads.
 */
package io.segmat.lists;

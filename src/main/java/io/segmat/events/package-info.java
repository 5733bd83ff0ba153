/**
 * Email events from SendGrid's Event Webhook: the {@code eventImportJob} checks each
 * event, matches it to a contact by email and stores it once per {@code sg_event_id},
 * with the payload where segment queries read it. Public face:
 * {@link io.segmat.events.EventImporter} and its
 * {@link io.segmat.events.EventImportReport}.
 */
package io.segmat.events;

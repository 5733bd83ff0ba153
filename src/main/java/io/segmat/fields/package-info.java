/**
 * Contact fields as SendGrid's field definitions API shows them: custom fields with their
 * naming rules ({@link io.segmat.fields.CustomFieldDefinitions}), including the index a
 * Date field gets for clock-bounded segments, and the reserved fields
 * ({@link io.segmat.fields.ReservedField}), derived from
 * {@link io.segmat.query.ContactColumn}.
 */
package io.segmat.fields;

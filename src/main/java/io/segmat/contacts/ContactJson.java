package io.segmat.contacts;

/**
 * One contact as SendGrid's API answers it (ContactDetails3 in the contacts OpenAPI
 * file): the SQL expression that builds it from {@code contact c} as jsonb, for the
 * answers that return whole contacts (search, search by emails, dry runs), and the fields
 * of a segment's {@code contacts_sample} entries, a subset of it.
 * <p>
 * Unset identifiers (phone_number_id, external_id, anonymous_id) are null here and left
 * out by {@code jsonb_strip_nulls}, which callers apply, because the API types them as
 * strings; the other text fields read as ''. custom_fields are keyed by the account's
 * field names, Dates as ISO-8601 UTC. {@code segment_ids} probes each segment's
 * membership by its primary key: a few hundred probes at most per contact.
 */
public final class ContactJson {

	/**
	 * The fields of a segment's {@code contacts_sample} entries, as jsonb, of the contact
	 * aliased {@code c}. SampleColumnsTests checks every field against ContactColumn.
	 */
	public static final String SAMPLE_OBJECT = """
			jsonb_build_object(
			    'id', c.id,
			    'email', c.email,
			    'phone_number_id', c.phone_number_id,
			    'external_id', c.external_id,
			    'anonymous_id', c.anonymous_id,
			    'alternate_emails', coalesce(to_jsonb(c.alternate_emails), '[]'::jsonb),
			    'first_name', coalesce(c.first_name, ''),
			    'last_name', coalesce(c.last_name, ''),
			    'address_line_1', coalesce(c.address_line_1, ''),
			    'address_line_2', coalesce(c.address_line_2, ''),
			    'city', coalesce(c.city, ''),
			    'state_province_region', coalesce(c.state_province_region, ''),
			    'postal_code', coalesce(c.postal_code, ''),
			    'country', coalesce(c.country, ''),
			    'list_ids', coalesce((SELECT jsonb_agg(lm.list_id ORDER BY lm.list_id) FROM list_member lm
			                          WHERE lm.contact_key = c.contact_key), '[]'::jsonb),
			    'custom_fields', coalesce((SELECT jsonb_object_agg(f.name, CASE f.field_type
			                                   WHEN 'Date' THEN to_jsonb(to_char(to_timestamp((c.custom_fields ->> f.id)::float8)
			                                                         AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
			                                   ELSE c.custom_fields -> f.id END)
			                               FROM custom_field f WHERE c.custom_fields -> f.id IS NOT NULL), '{}'::jsonb),
			    'created_at', to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
			    'updated_at', to_char(c.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
			  )""";

	/**
	 * The whole contact object of the contact aliased {@code c}: the sample's fields plus
	 * the rest the contact object has (jsonb keeps no key order, so the sum is the same
	 * object as one build).
	 */
	public static final String OBJECT = SAMPLE_OBJECT + """
			|| jsonb_build_object(
			   'phone_number', coalesce(c.phone_number, ''),
			   'whatsapp', coalesce(c.whatsapp, ''),
			   'line', coalesce(c.line, ''),
			   'facebook', coalesce(c.facebook, ''),
			   'unique_name', coalesce(c.unique_name, ''),
			   'segment_ids', coalesce((SELECT jsonb_agg(s.id ORDER BY s.id) FROM segment s
			                            WHERE EXISTS (SELECT 1 FROM segment_member sm
			                                          WHERE sm.segment_key = s.segment_key
			                                            AND sm.contact_key = c.contact_key)), '[]'::jsonb)
			 )""";

	private ContactJson() {
	}

	/**
	 * A JSON array (as text) of the contacts whose keys {@code keys} selects, in key
	 * order: {@code keys} is a SELECT of {@code contact_key} (with its own ORDER BY and
	 * LIMIT); a key whose contact is gone is left out.
	 */
	public static String arrayOf(String keys) {
		return "(SELECT coalesce(jsonb_agg(jsonb_strip_nulls(" + OBJECT
				+ ") ORDER BY c.contact_key), '[]'::jsonb)::text FROM (" + keys
				+ ") k JOIN contact c ON c.contact_key = k.contact_key)";
	}

}

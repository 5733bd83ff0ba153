-- A refresh re-evaluates a clock-dependent segment only for the contacts whose values a moving
-- time bound swept past since its last run. These indexes make finding them a range scan
-- instead of a scan of every contact. Events are served by email_event_type_time already.
CREATE INDEX contact_created_at ON contact (created_at);

-- One per Date custom field; the application creates and drops them with the field from now on.
DO $$
DECLARE
    field text;
BEGIN
    FOR field IN SELECT id FROM custom_field WHERE field_type = 'Date' AND id ~ '^e[0-9]+_D$' LOOP
        EXECUTE format('CREATE INDEX %I ON contact ((to_timestamp((custom_fields->>%L)::double precision)))',
                       'contact_date_' || field, field);
    END LOOP;
END
$$;

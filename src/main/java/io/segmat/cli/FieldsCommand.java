package io.segmat.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import io.segmat.fields.CustomFieldDefinitions;
import io.segmat.fields.ReservedField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code segmat fields create|list|delete}. */
@Command(name = "fields", mixinStandardHelpOptions = true, description = "Custom field definitions.",
		subcommands = { FieldsCommand.Create.class, FieldsCommand.ListFields.class, FieldsCommand.Delete.class })
final class FieldsCommand implements Runnable {

	@Override
	public void run() {
		throw new ExitException(ExitCodes.USAGE, "fields needs a subcommand: create, list or delete");
	}

	@Command(name = "create", mixinStandardHelpOptions = true, description = "Define a custom field.")
	static final class Create extends DatabaseCommand {

		@Option(names = "--name", required = true,
				description = "letters, digits, underscore; starts with a letter or underscore")
		String name;

		@Option(names = "--type", required = true, description = "Text, Number or Date")
		String type;

		@Override
		int run(CommandContext context) {
			Json.print(context.out(), context.bean(CustomFieldDefinitions.class).create(this.name, this.type));
			return ExitCodes.OK;
		}

	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List custom and reserved fields.")
	static final class ListFields extends DatabaseCommand {

		@Override
		int run(CommandContext context) {
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("custom_fields", context.bean(CustomFieldDefinitions.class).list());
			result.put("reserved_fields", ReservedField.ALL);
			Json.print(context.out(), result);
			return ExitCodes.OK;
		}

	}

	@Command(name = "delete", mixinStandardHelpOptions = true,
			description = "Delete a custom field. Segments that use it become INVALID at their next evaluation.")
	static final class Delete extends DatabaseCommand {

		@Parameters(paramLabel = "ID", description = "the field's id, e.g. e1_T")
		String id;

		@Override
		int run(CommandContext context) {
			context.bean(CustomFieldDefinitions.class).delete(this.id);
			Json.print(context.out(), Map.of("deleted", this.id));
			return ExitCodes.OK;
		}

	}

}

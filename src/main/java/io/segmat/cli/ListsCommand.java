package io.segmat.cli;

import java.util.Map;
import java.util.UUID;

import io.segmat.lists.ContactLists;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code segmat lists create|list|delete}. */
@Command(name = "lists", mixinStandardHelpOptions = true, description = "Static contact lists.",
		subcommands = { ListsCommand.Create.class, ListsCommand.ListLists.class, ListsCommand.Delete.class })
final class ListsCommand implements Runnable {

	@Override
	public void run() {
		throw new ExitException(ExitCodes.USAGE, "lists needs a subcommand: create, list or delete");
	}

	@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a list.")
	static final class Create extends DatabaseCommand {

		@Option(names = "--name", required = true, description = "the list's name, unique")
		String name;

		@Override
		int run(CommandContext context) {
			Json.print(context.out(), context.bean(ContactLists.class).create(this.name));
			return ExitCodes.OK;
		}

	}

	@Command(name = "list", mixinStandardHelpOptions = true, description = "List the lists with their member counts.")
	static final class ListLists extends DatabaseCommand {

		@Override
		int run(CommandContext context) {
			Json.print(context.out(), Map.of("result", context.bean(ContactLists.class).list()));
			return ExitCodes.OK;
		}

	}

	@Command(name = "delete", mixinStandardHelpOptions = true,
			description = "Delete a list. Its contacts stay; they only leave the list.")
	static final class Delete extends DatabaseCommand {

		@Parameters(paramLabel = "ID", description = "the list's id")
		UUID id;

		@Override
		int run(CommandContext context) {
			context.bean(ContactLists.class).delete(this.id);
			Json.print(context.out(), Map.of("deleted", this.id));
			return ExitCodes.OK;
		}

	}

}

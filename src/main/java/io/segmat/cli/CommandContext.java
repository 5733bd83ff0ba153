package io.segmat.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.segmat.SegmatApplication;
import io.segmat.db.Database;
import io.segmat.db.SchemaCheck;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a command needs at run time: the database (embedded or not) and the Spring context
 * over it. Starting the context migrates the schema, so every command works on an
 * up-to-date one; when one query finds it up to date already ({@link SchemaCheck}),
 * Flyway is not started at all.
 * <p>
 * A command that does not serve gets a context whose beans are made lazily, when the
 * command first asks for one: a command reading one table makes a few beans, not the
 * Batch jobs, the API's controllers and everything they need. Beans Spring Boot keeps
 * eager (the migration, every {@code SmartInitializingSingleton}) stay eager. A bean that
 * must exist without being asked for, such as one that does its work when the context
 * closes, says so with {@code @Lazy(false)} or a {@code LazyInitializationExcludeFilter}
 * bean; a command whose properties set {@code spring.main.lazy-initialization} decides
 * for itself.
 */
final class CommandContext implements AutoCloseable {

	private static final Duration EMBEDDED_LOCK_WAIT = Duration.ofMinutes(2);

	private final Database database;

	private final ConfigurableApplicationContext context;

	private final PrintWriter out;

	private final PrintWriter err;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final Thread shutdownHook = new Thread(this::close, "segmat-shutdown");

	private CommandContext(Database database, ConfigurableApplicationContext context, PrintWriter out,
			PrintWriter err) {
		this.database = database;
		this.context = context;
		this.out = out;
		this.err = err;
	}

	static CommandContext open(SegmatCommand root, WebApplicationType web, Map<String, Object> extraProperties) {
		return open(root, web, extraProperties, true);
	}

	/**
	 * @param checkSchema false for a command that wants Flyway whatever the schema's
	 * state ({@code migrate})
	 */
	static CommandContext open(SegmatCommand root, WebApplicationType web, Map<String, Object> extraProperties,
			boolean checkSchema) {
		PrintWriter err = root.err();
		Database database = Database.open(root.databaseSettings(), EMBEDDED_LOCK_WAIT, (notice) -> {
			err.println(notice);
			err.flush();
		});
		try {
			Map<String, Object> properties = new HashMap<>(extraProperties);
			properties.put("spring.datasource.url", database.url());
			if (database.user() != null) {
				properties.put("spring.datasource.username", database.user());
			}
			if (database.password() != null) {
				properties.put("spring.datasource.password", database.password());
			}
			properties.putIfAbsent("spring.main.lazy-initialization", web == WebApplicationType.NONE);
			SpringApplication application = new SpringApplication(SegmatApplication.class);
			application.setWebApplicationType(web);
			application.setDefaultProperties(properties);
			application.setRegisterShutdownHook(false);
			if (checkSchema) {
				application.addListeners(new SchemaCheck());
			}
			CommandContext context = new CommandContext(database, application.run(), root.out(), err);
			// On SIGTERM the context closes first (a running refresh stops at its next
			// segment), then the database.
			Runtime.getRuntime().addShutdownHook(context.shutdownHook);
			return context;
		}
		catch (RuntimeException ex) {
			database.close();
			throw ex;
		}
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	PrintWriter out() {
		return this.out;
	}

	PrintWriter err() {
		return this.err;
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		if (Thread.currentThread() != this.shutdownHook) {
			try {
				Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
			}
			catch (IllegalStateException ex) {
				// Already shutting down: the hook runs and finds the context closed.
			}
		}
		try {
			this.context.close();
		}
		finally {
			this.database.close();
		}
	}

}

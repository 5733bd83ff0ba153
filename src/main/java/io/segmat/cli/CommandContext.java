package io.segmat.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.segmat.SegmatApplication;
import io.segmat.db.Database;
import io.segmat.db.DatabaseSettings;
import io.segmat.db.SchemaCheck;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;

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

	/** Null when the caller opened the database and closes it. */
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
	 * @param skipCurrentSchema false for a command that wants Flyway whatever the
	 * schema's state ({@code migrate})
	 */
	static CommandContext open(SegmatCommand root, WebApplicationType web, Map<String, Object> extraProperties,
			boolean skipCurrentSchema) {
		DatabaseSettings settings = root.databaseSettings();
		// The embedded server starts while Spring does; ServerReady waits for it before
		// the first connection.
		Database database = Database.start(settings, EMBEDDED_LOCK_WAIT, notice(root));
		try {
			return start(root, database, true, settings.schema(), web, extraProperties, skipCurrentSchema);
		}
		catch (RuntimeException ex) {
			database.close();
			throw ex;
		}
	}

	/**
	 * A context over one account of a database the caller opened and closes: several
	 * accounts, one after another, share one embedded server start.
	 */
	static CommandContext open(SegmatCommand root, Database database, String schema) {
		return start(root, database, false, schema, WebApplicationType.NONE, Map.of(), true);
	}

	static Database openDatabase(SegmatCommand root) {
		return Database.open(root.databaseSettings(), EMBEDDED_LOCK_WAIT, notice(root));
	}

	private static Consumer<String> notice(SegmatCommand root) {
		PrintWriter err = root.err();
		return (notice) -> {
			err.println(notice);
			err.flush();
		};
	}

	private static CommandContext start(SegmatCommand root, Database database, boolean ownsDatabase, String schema,
			WebApplicationType web, Map<String, Object> extraProperties, boolean skipCurrentSchema) {
		Map<String, Object> properties = new HashMap<>(extraProperties);
		properties.putIfAbsent("spring.main.lazy-initialization", web == WebApplicationType.NONE);
		properties.put("spring.datasource.url", database.url());
		if (database.user() != null) {
			properties.put("spring.datasource.username", database.user());
		}
		if (database.password() != null) {
			properties.put("spring.datasource.password", database.password());
		}
		SpringApplication application = new SpringApplication(SegmatApplication.class);
		application.setWebApplicationType(web);
		application.setDefaultProperties(properties);
		application.setRegisterShutdownHook(false);
		application.addListeners(new AccountSchema(schema), new ServerReady(database));
		if (skipCurrentSchema) {
			application.addListeners(new SchemaCheck());
		}
		ConfigurableApplicationContext started = application.run();
		try {
			checkSchema(started, schema);
		}
		catch (RuntimeException ex) {
			started.close();
			throw ex;
		}
		CommandContext context = new CommandContext(ownsDatabase ? database : null, started, root.out(), root.err());
		// On SIGTERM the context closes first (a running refresh stops at its next
		// segment), then the database.
		Runtime.getRuntime().addShutdownHook(context.shutdownHook);
		return context;
	}

	/**
	 * A currentSchema or search_path in the URL would win over ours in the driver, and
	 * statements would run outside the schema Flyway migrated.
	 */
	private static void checkSchema(ConfigurableApplicationContext context, String schema) {
		String current = context.getBean(JdbcClient.class)
			.sql("SELECT current_schema()")
			.query(String.class)
			.optional()
			.orElse(null);
		if (!schema.equals(current)) {
			throw new IllegalArgumentException("the database URL sets the schema to '" + current
					+ "' (currentSchema or search_path); name the account's schema with --db-schema or "
					+ DatabaseSettings.SCHEMA_VARIABLE + " instead, here '" + schema + "'");
		}
	}

	/**
	 * The option, or the environment variable as the command read it, wins over
	 * SEGMAT_DB_SCHEMA as Spring would read it from the process environment. It is set
	 * before {@link SchemaCheck} reads the environment, so the check looks at the
	 * account's history.
	 */
	private record AccountSchema(
			String schema) implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

		@Override
		public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
			event.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("segmatCommandSchema",
						Map.of(DatabaseSettings.SCHEMA_PROPERTY, this.schema)));
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

	/**
	 * Waits for the database once the environment is prepared (Spring's own start-up work
	 * before it overlaps with the embedded server's), before {@link SchemaCheck} or
	 * anything else connects.
	 */
	private record ServerReady(
			Database database) implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

		@Override
		public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
			this.database.awaitReady();
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE - 1;
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
			if (this.database != null) {
				// a process stopping on SIGTERM has no time for it
				if (Thread.currentThread() != this.shutdownHook) {
					this.database.maintain();
				}
				this.database.close();
			}
		}
	}

}

package io.segmat;

import java.time.Clock;

import org.springframework.batch.core.configuration.annotation.EnableBatchProcessing;
import org.springframework.batch.core.configuration.annotation.EnableJdbcJobRepository;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.context.annotation.Bean;

/**
 * The Spring application behind every command. Batch's job repository is JDBC-backed on
 * the same database as the data, so a job's metadata and its effects commit side by side.
 */
@SpringBootApplication
@EnableBatchProcessing
@EnableJdbcJobRepository(dataSourceRef = "dataSource", transactionManagerRef = "transactionManager")
public class SegmatApplication {

	/** The only place that reads the wall clock; everything else receives this bean. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * A command's context makes its beans lazily (see cli.CommandContext); the schema is
	 * migrated when the context starts all the same, before any bean touches the
	 * database.
	 */
	@Bean
	static LazyInitializationExcludeFilter migrationRunsAtStart() {
		return LazyInitializationExcludeFilter.forBeanTypes(FlywayMigrationInitializer.class);
	}

}

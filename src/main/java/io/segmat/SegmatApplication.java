package io.segmat;

import java.time.Clock;

import org.springframework.batch.core.configuration.annotation.EnableBatchProcessing;
import org.springframework.batch.core.configuration.annotation.EnableJdbcJobRepository;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.annotation.Isolation;

/**
 * The Spring application behind every command. Batch's job repository is JDBC-backed on
 * the same database as the data, so a job's metadata and its effects commit side by side.
 * <p>
 * Batch creates a run's rows under SERIALIZABLE by default. In PostgreSQL two launches at
 * the same instant, of any jobs (an import and the refresh's CronJob), then read and
 * insert the same tables, and one of them is refused (SQLSTATE 40001). READ COMMITTED
 * lets both run. What SERIALIZABLE guarded, one job instance created twice, the unique
 * key of BATCH_JOB_INSTANCE refuses anyway, and segmat never launches one instance twice
 * at once: the refresh, manual refreshes, deliveries and file imports hold advisory
 * locks; other launches name instances of their own.
 */
@SpringBootApplication
@EnableBatchProcessing
@EnableJdbcJobRepository(dataSourceRef = "dataSource", transactionManagerRef = "transactionManager",
		isolationLevelForCreate = Isolation.READ_COMMITTED)
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

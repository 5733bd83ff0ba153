package io.segmat.testsupport;

import io.segmat.SegmatApplication;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application's default test configuration, declared once so that every class
 * extending this shares one cached Spring context and one database
 * ({@link TestDatabase#shared()}). Each class starts on empty tables, as it did when it
 * had a database of its own; a class that needs empty tables before each test calls
 * {@link TestDatabase#truncateAll()} itself. A class that needs other properties cannot
 * share the context: it declares its own {@code @SpringBootTest} and database.
 */
@SpringBootTest(classes = SegmatApplication.class)
@SpringBatchTest
public abstract class SpringTestSupport implements TestScopeExecutions {

	protected static final TestDatabase database = TestDatabase.shared();

	@DynamicPropertySource
	static void sharedDatabase(DynamicPropertyRegistry registry) {
		database.register(registry);
	}

	@BeforeAll
	static void emptyTablesForThisClass() {
		database.truncateAll();
	}

}

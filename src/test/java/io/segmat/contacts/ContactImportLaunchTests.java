package io.segmat.contacts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.segmat.refresh.RefreshLauncher;
import io.segmat.refresh.RefreshRun;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Imports launched at the same instant as another import or a refresh, as two cron jobs
 * or two people may launch them.
 */
class ContactImportLaunchTests extends ContactImportTestSupport {

	@Autowired
	RefreshLauncher refresh;

	private static final int ROUNDS = 12;

	@Test
	void twoImportsOfDifferentFilesLaunchedAtTheSameInstantBothComplete() throws Exception {
		ExecutorService launchers = Executors.newFixedThreadPool(2);
		List<String> statuses = new ArrayList<>();
		try {
			for (int round = 0; round < ROUNDS; round++) {
				// given two new files
				Path first = write("a" + round + ".ndjson", "{\"email\":\"a" + round + "@x.io\"}\n");
				Path second = write("b" + round + ".ndjson", "{\"email\":\"b" + round + "@x.io\"}\n");

				// when both are launched at the same instant
				CyclicBarrier start = new CyclicBarrier(2);
				Future<ImportReport> one = launchers.submit(() -> {
					start.await();
					return this.importer.importFile(first, null);
				});
				Future<ImportReport> two = launchers.submit(() -> {
					start.await();
					return this.importer.importFile(second, null);
				});
				statuses.add(one.get(1, TimeUnit.MINUTES).status());
				statuses.add(two.get(1, TimeUnit.MINUTES).status());
			}
		}
		finally {
			launchers.shutdownNow();
		}

		// then every import completed, each creating its contact
		assertThat(statuses).hasSize(2 * ROUNDS).containsOnly("COMPLETED");
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isEqualTo(2 * ROUNDS);
	}

	@Test
	void anImportAndARefreshLaunchedAtTheSameInstantBothComplete() throws Exception {
		ExecutorService launchers = Executors.newFixedThreadPool(2);
		List<String> imports = new ArrayList<>();
		List<RefreshRun.Outcome> refreshes = new ArrayList<>();
		try {
			for (int round = 0; round < ROUNDS; round++) {
				// given a new file, and a refresh slot of its own
				Path file = write("c" + round + ".ndjson", "{\"email\":\"c" + round + "@x.io\"}\n");
				String slot = "2026-06-01T00:%02d:00Z".formatted(round);

				// when the import and the refresh are launched at the same instant, as a
				// script and the refresh's CronJob may launch them
				CyclicBarrier start = new CyclicBarrier(2);
				Future<ImportReport> imported = launchers.submit(() -> {
					start.await();
					return this.importer.importFile(file, null);
				});
				Future<RefreshRun> refreshed = launchers.submit(() -> {
					start.await();
					return this.refresh.launch(slot, slot, 1);
				});
				imports.add(imported.get(1, TimeUnit.MINUTES).status());
				refreshes.add(refreshed.get(1, TimeUnit.MINUTES).outcome());
			}
		}
		finally {
			launchers.shutdownNow();
		}

		// then neither was refused: every import and every refresh completed
		assertThat(imports).hasSize(ROUNDS).containsOnly("COMPLETED");
		assertThat(refreshes).hasSize(ROUNDS).containsOnly(RefreshRun.Outcome.COMPLETED);
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isEqualTo(ROUNDS);
	}

}

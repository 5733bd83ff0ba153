package io.segmat.contacts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.segmat.refresh.RefreshLauncher;
import io.segmat.refresh.RefreshRun;
import io.segmat.testsupport.SameInstant;
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
		List<String> statuses = new ArrayList<>();
		try (SameInstant sameInstant = new SameInstant()) {
			for (int round = 0; round < ROUNDS; round++) {
				// given two new files
				Path first = write("a" + round + ".ndjson", "{\"email\":\"a" + round + "@x.io\"}\n");
				Path second = write("b" + round + ".ndjson", "{\"email\":\"b" + round + "@x.io\"}\n");

				// when both are launched at the same instant
				SameInstant.Both<ImportReport, ImportReport> both = sameInstant
					.run(() -> this.importer.importFile(first, null), () -> this.importer.importFile(second, null));
				statuses.add(both.first().status());
				statuses.add(both.second().status());
			}
		}

		// then every import completed, each creating its contact
		assertThat(statuses).hasSize(2 * ROUNDS).containsOnly("COMPLETED");
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isEqualTo(2 * ROUNDS);
	}

	@Test
	void anImportAndARefreshLaunchedAtTheSameInstantBothComplete() throws Exception {
		List<String> imports = new ArrayList<>();
		List<RefreshRun.Outcome> refreshes = new ArrayList<>();
		try (SameInstant sameInstant = new SameInstant()) {
			for (int round = 0; round < ROUNDS; round++) {
				// given a new file, and a refresh slot of its own
				Path file = write("c" + round + ".ndjson", "{\"email\":\"c" + round + "@x.io\"}\n");
				String slot = "2026-06-01T00:%02d:00Z".formatted(round);

				// when the import and the refresh are launched at the same instant, as a
				// script and the refresh's CronJob may launch them
				SameInstant.Both<ImportReport, RefreshRun> both = sameInstant
					.run(() -> this.importer.importFile(file, null), () -> this.refresh.launch(slot, slot, 1));
				imports.add(both.first().status());
				refreshes.add(both.second().outcome());
			}
		}

		// then neither was refused: every import and every refresh completed
		assertThat(imports).hasSize(ROUNDS).containsOnly("COMPLETED");
		assertThat(refreshes).hasSize(ROUNDS).containsOnly(RefreshRun.Outcome.COMPLETED);
		assertThat(this.jdbc.sql("SELECT count(*) FROM contact").query(Long.class).single()).isEqualTo(ROUNDS);
	}

}

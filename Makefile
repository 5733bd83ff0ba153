MVN ?= mvn -B -q
JAR := target/segmat.jar
APP := target/segmat-app

.PHONY: build run test test-fast bench bench-import bench-startup bench-home clean

build: $(JAR) $(APP)/segmat.jsa

$(JAR): pom.xml $(shell find src/main db -type f 2>/dev/null)
	$(MVN) -DskipTests package

# bin/segmat's fast start (README, Performance): the jar extracted by Spring Boot's tools jar mode, and a class
# data sharing archive recorded at the end of a training run (`segmat demo --contacts 2000` over a throwaway embedded
# home, never the user's database: it starts the server, migrates, imports, refreshes and reads, so the archive holds
# the classes of the small commands and of the refresh a CronJob starts). Its output goes to a log, shown on failure.
$(APP)/segmat.jsa: $(JAR)
	rm -rf $(APP) target/cds-home
	java -Djarmode=tools -jar $(JAR) extract --destination $(APP)
	env -u SEGMAT_DB_URL -u SEGMAT_DB_USER -u SEGMAT_DB_PASSWORD -u SEGMAT_DB_SCHEMA SEGMAT_HOME=target/cds-home \
		java -XX:ArchiveClassesAtExit=$(CURDIR)/$(APP)/segmat.jsa -jar $(CURDIR)/$(APP)/segmat.jar demo --contacts 2000 \
		>target/cds-training.log 2>&1 || (cat target/cds-training.log; exit 1)
	rm -rf target/cds-home

# Loads the demo data into the embedded PostgreSQL under ./.segmat, materializes the demo segments, prints them.
run: build
	bin/segmat demo

test:
	mvn -B test

# The suite without the classes tagged slow (process kills, property tests): for the edit-test loop. CI runs `make test`.
test-fast:
	mvn -B test -DexcludedGroups=slow

# The refresh benchmark (src/test/java/io/segmat/bench): a fresh embedded PostgreSQL, BENCH_CONTACTS contacts
# (default 1,000,000), the report under target/bench. Run as a plain JVM, not inside Maven, so its heap is its own.
BENCH_JAVA_OPTS ?= -Xmx1g

bench: build
	$(MVN) test-compile
	$(MVN) dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
	java $(BENCH_JAVA_OPTS) -cp "target/test-classes:target/classes:$$(cat target/bench.classpath)" io.segmat.bench.SegmatBenchmark
	$(MAKE) bench-startup
	$(MAKE) bench-home

# The contacts import alone (src/test/java/io/segmat/bench/ImportBenchmark.java): a new file of BENCH_IMPORT contacts
# (default 50,000), the same file again, every row changed; BENCH_REPEAT rounds (default 2), the first in a cold JVM.
bench-import:
	$(MVN) test-compile
	$(MVN) dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
	java $(BENCH_JAVA_OPTS) -cp "target/test-classes:target/classes:$$(cat target/bench.classpath)" io.segmat.bench.ImportBenchmark

# A small command's start-up (src/test/java/io/segmat/bench/CommandStartupBenchmark.java): the median wall and CPU
# time of BENCH_STARTUP_RUNS fresh JVMs (default 5) for --help and fields list, embedded and --db-url, via the jar and
# bin/segmat, next to java -version's as the floor; the report also in target/bench/startup.md.
bench-startup: build
	$(MVN) test-compile
	$(MVN) dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
	java -cp "target/test-classes:target/classes:$$(cat target/bench.classpath)" io.segmat.bench.CommandStartupBenchmark

# A refresh from cron over the embedded home (src/test/java/io/segmat/bench/EmbeddedHomeBenchmark.java): bin/segmat demo
# with BENCH_HOME_CONTACTS contacts (default 100,000) over a fresh home, refreshes an hour apart, 0.1 % of the contacts
# changed by an import, then the first runs past each moving window's next edge, each a fresh process; the report also
# in target/bench/home.md.
bench-home: build
	$(MVN) test-compile
	$(MVN) dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
	java -cp "target/test-classes:target/classes:$$(cat target/bench.classpath)" io.segmat.bench.EmbeddedHomeBenchmark

clean:
	rm -rf target

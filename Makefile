MVN ?= mvn -B -q
JAR := target/segmat.jar

.PHONY: build run test test-fast bench bench-import clean

build: $(JAR)

$(JAR): pom.xml $(shell find src/main db -type f 2>/dev/null)
	$(MVN) -DskipTests package

# Loads the demo data into the embedded PostgreSQL under ./.segmat, materializes the demo segments, prints them.
run: build
	java -jar $(JAR) demo

test:
	mvn -B test

# The suite without the classes tagged slow (process kills, property tests): for the edit-test loop. CI runs `make test`.
test-fast:
	mvn -B test -DexcludedGroups=slow

# The refresh benchmark (src/test/java/io/segmat/bench): a fresh embedded PostgreSQL, BENCH_CONTACTS contacts
# (default 1,000,000), the report under target/bench. Run as a plain JVM, not inside Maven, so its heap is its own.
BENCH_JAVA_OPTS ?= -Xmx1g

bench:
	$(MVN) test-compile
	$(MVN) dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
	java $(BENCH_JAVA_OPTS) -cp "target/test-classes:target/classes:$$(cat target/bench.classpath)" io.segmat.bench.SegmatBenchmark

# The contacts import alone (src/test/java/io/segmat/bench/ImportBenchmark.java): a new file of BENCH_IMPORT contacts
# (default 50,000), the same file again, every row changed; BENCH_REPEAT rounds (default 2), the first in a cold JVM.
bench-import:
	$(MVN) test-compile
	$(MVN) dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
	java $(BENCH_JAVA_OPTS) -cp "target/test-classes:target/classes:$$(cat target/bench.classpath)" io.segmat.bench.ImportBenchmark

clean:
	rm -rf target

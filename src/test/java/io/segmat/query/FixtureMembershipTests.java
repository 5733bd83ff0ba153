package io.segmat.query;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FixtureMembershipTests {

	private BasicFixture fixture;

	private final QueryCompiler compiler = new QueryCompiler();

	@BeforeAll
	void loadFixture() {
		this.fixture = BasicFixture.load();
	}

	List<BasicFixture.Segment> segments() {
		return this.fixture.segments();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("segments")
	void eachFixtureSegmentHasExactlyItsExpectedMembers(BasicFixture.Segment segment) {
		// given a fixture segment and its query compiled at the fixture's as_of
		CompiledQuery compiled = this.compiler.compile(segment.queryDsl(), this.fixture.catalog(),
				segment.parentListId(), this.fixture.asOf());

		// when it runs on the fixture data
		var members = this.fixture.members(compiled);

		// then its members are exactly the expected ones, each once
		assertThat(members).containsExactlyInAnyOrderElementsOf(segment.expectedEmails());
		assertThat(this.fixture.rowCount(compiled)).isEqualTo(segment.expectedEmails().size());
	}

	@Test
	void fixtureHasTwentySegments() {
		// given the fixture / when its segments are read / then all twenty are exercised
		assertThat(this.fixture.segments()).hasSize(20);
	}

}

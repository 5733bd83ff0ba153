package io.segmat.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClockBoundsTests {

	private final ClockBounds clock = new ClockBounds(CompilerUnits.AS_OF);

	@Test
	void nowIsTheInstantCompiledForAndMarksTheClockRead() {
		Frag now = this.clock.now();

		assertThat(now.constant()).isEqualTo(CompilerUnits.AS_OF);
		assertThat(now.clock()).isEqualTo(Frag.Clock.MONOTONE);
		assertThat(this.clock.read()).isTrue();
	}

	@Test
	void aClockFreeValueAgainstAMovingBoundIsRecorded() {
		Frag value = Frag.of("c.created_at", Frag.Type.TIMESTAMP);

		boolean recorded = this.clock.bound(value, this.clock.now());

		assertThat(recorded).isTrue();
		assertThat(this.clock.boundaries()).singleElement()
			.satisfies(boundary -> assertThat(boundary.valueSql()).isEqualTo("c.created_at"));
	}

	@Test
	void aBoundThatDoesNotMoveWithTheClockIsNotRecorded() {
		boolean recorded = this.clock.bound(Frag.of("c.created_at", Frag.Type.TIMESTAMP),
				Frag.timestamp(CompilerUnits.AS_OF));

		assertThat(recorded).isFalse();
		assertThat(this.clock.boundaries()).isEmpty();
	}

	@Test
	void anAggregateIsBoundThroughTheValueItAggregates() {
		Frag perEvent = Frag.of("e0.occurred_at", Frag.Type.TIMESTAMP).withEvents(java.util.Set.of("e0"));
		Frag max = Frag.compose(Frag.Type.TIMESTAMP, "max(", perEvent, ")").markAggregate();
		this.clock.aggregated(max, perEvent);

		assertThat(this.clock.bound(max, this.clock.now())).isTrue();
		assertThat(this.clock.boundaries().get(0).eventAlias()).isEqualTo("e0");
	}

}

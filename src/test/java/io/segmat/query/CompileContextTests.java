package io.segmat.query;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CompileContextTests {

	private final CompileContext context = new CompileContext(CompilerUnits.FIELDS,
			new ClockBounds(CompilerUnits.AS_OF));

	@Test
	void eventAliasesAreHandedOutInTurnAndMarkEventsRead() {
		assertThat(this.context.eventAlias()).isEqualTo("e0");
		assertThat(this.context.eventAlias()).isEqualTo("e1");
		assertThat(this.context.dependencies().events()).isTrue();
	}

	@Test
	void listAliasesDoNotMarkEvents() {
		assertThat(this.context.listAlias()).isEqualTo("lm0");
		assertThat(this.context.dependencies().events()).isFalse();
	}

	@Test
	void dependenciesGatherWhatWasRead() {
		UUID list = UUID.randomUUID();
		this.context.readsColumn("email");
		this.context.readsList(list);
		this.context.clock().now();

		QueryDependencies dependencies = this.context.dependencies();

		assertThat(dependencies.contactColumns()).containsExactly("email");
		assertThat(dependencies.listIds()).containsExactly(list);
		assertThat(dependencies.clock()).isTrue();
		assertThat(dependencies.anyList()).isFalse();
	}

}

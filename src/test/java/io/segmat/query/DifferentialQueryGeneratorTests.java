package io.segmat.query;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.statistics.Statistics;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.PlainSelect;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator on its own: its statements are SQL a parser reads as one SELECT (so a
 * compiler rejection is about the language, not about garbage), and the oracle can
 * evaluate every one of them on any data (so its types line up).
 */
// Slow: jqwik properties, 400 tries each; `make test-fast` leaves it out.
@Tag("slow")
class DifferentialQueryGeneratorTests {

	@Property(tries = 400)
	void generatedQueriesParseAsOneSelect(@ForAll("queries") OracleExpr.Query query) throws Exception {
		String dsl = query.dsl();
		// Backslash escapes are among the spellings generated; the spec accepts them.
		Statements statements = CCJSqlParserUtil.parseStatements(dsl, p -> p.withBackslashEscapeCharacter(true));

		assertThat(statements).as(dsl).hasSize(1);
		assertThat(statements.get(0)).as(dsl).isInstanceOf(PlainSelect.class);
		Statistics.label("join").collect(query.join());
		Statistics.label("parent list").collect(query.parentList() != null);
	}

	@Property(tries = 400)
	void theOracleEvaluatesEveryGeneratedQuery(@ForAll("queries") OracleExpr.Query query,
			@ForAll("data") OracleData data) {
		var members = OracleEvaluator.members(query, data);

		assertThat(data.contacts().stream().map(OracleData.Contact::email)).containsAll(members);
		Statistics.label("selects some").collect(!members.isEmpty());
		Statistics.label("selects all").collect(members.size() == data.contacts().size());
	}

	@Provide
	Arbitrary<OracleExpr.Query> queries() {
		return DifferentialQueryGenerator.queries();
	}

	@Provide
	Arbitrary<OracleData> data() {
		return OracleDataGenerator.smallData();
	}

}

package io.segmat.query;

import java.time.Instant;
import java.util.List;

import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * The compiler's units wired over one query, as {@link Translator} wires them, so that a
 * test can drive one unit on a real parse tree.
 */
final class CompilerUnits {

	static final Instant AS_OF = Instant.parse("2026-06-01T00:00:00Z");

	static final FieldCatalog FIELDS = new FieldCatalog(List.of(new CatalogField("e1_T", "plan", FieldType.TEXT),
			new CatalogField("e2_N", "lifetime_value", FieldType.NUMBER),
			new CatalogField("e3_D", "renewal", FieldType.DATE)));

	static final Source CONTACT = new Source("contact_data", "c", false, "c");

	static final Scope CONTACT_SCOPE = new Scope(List.of(CONTACT), false, false);

	final RawText raw;

	final Statement statement;

	final SourcePositions positions;

	final CompileContext context;

	final SelectChecks checks;

	final ExpressionCompiler expressions;

	private CompilerUnits(String query) {
		this.raw = RawText.scan(query, QueryLimits.defaults());
		this.statement = QueryParser.parse(this.raw);
		this.positions = new SourcePositions(this.raw);
		this.context = new CompileContext(FIELDS, new ClockBounds(AS_OF));
		this.checks = new SelectChecks(this.positions);
		this.expressions = new ExpressionCompiler(this.context, this.positions, this.checks);
	}

	static CompilerUnits of(String query) {
		return new CompilerUnits(query);
	}

	/** Units over {@code SELECT ... FROM contact_data c WHERE condition}. */
	static CompilerUnits where(String condition) {
		return new CompilerUnits("SELECT contact_id, updated_at FROM contact_data c WHERE " + condition);
	}

	PlainSelect select() {
		return (PlainSelect) this.statement;
	}

	Expression condition() {
		return InPrecedence.repair(select().getWhere());
	}

	Frag compile() {
		return this.expressions.condition(condition(), CONTACT_SCOPE);
	}

	StatementShape shape() {
		return new StatementShape(this.context, this.positions, this.checks, this.expressions.columns());
	}

}

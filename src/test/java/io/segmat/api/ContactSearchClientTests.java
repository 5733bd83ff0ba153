package io.segmat.api;

import java.io.IOException;

import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SendGrid's own Java client, changed only in its host, searches the contacts it
 * upserted: by a condition and by email, each answer checked against the OpenAPI file.
 */
class ContactSearchClientTests extends ApiTestSupport {

	private SendGrid sendGrid;

	@BeforeEach
	void client() {
		this.sendGrid = new SendGrid(KEY, true);
		this.sendGrid.setHost("localhost:" + this.port);
	}

	@Test
	void searchAndLookUpThroughTheSendGridClient() throws IOException {
		// given a list and five contacts upserted onto it by the client, one with an
		// alternate email
		String listId = json(api(Method.POST, "/v3/marketing/lists", "{\"name\":\"newsletter\"}")).get("id").asString();
		Response upsert = api(Method.PUT, "/v3/marketing/contacts", "{\"list_ids\":[\"" + listId + "\"],\"contacts\":["
				+ "{\"email\":\"ann@example.com\",\"first_name\":\"Ann\",\"alternate_emails\":[\"ann@work.example\"]},"
				+ "{\"email\":\"anna@example.com\",\"first_name\":\"Anna\"},"
				+ "{\"email\":\"annie@example.org\",\"first_name\":\"Annie\"},"
				+ "{\"email\":\"bob@example.com\",\"first_name\":\"Bob\"},"
				+ "{\"email\":\"carol@example.com\",\"first_name\":\"Carol\"}]}");
		assertThat(upsert.getStatusCode()).as(upsert.getBody()).isEqualTo(202);

		// when the client searches as SendGrid's documentation shows
		Response search = api(Method.POST, "/v3/marketing/contacts/search",
				"{\"query\":\"email LIKE 'ann%' AND CONTAINS(list_ids, '" + listId + "')\"}");

		// then it finds the three Anns on the list
		assertThat(search.getStatusCode()).as(search.getBody()).isEqualTo(200);
		JsonNode found = json(search);
		assertThat(found.get("contact_count").asLong()).isEqualTo(3);
		assertThat(found.get("result").findValuesAsString("email")).containsExactly("ann@example.com",
				"anna@example.com", "annie@example.org");

		// and by email: the alternate address finds its contact; an unknown one is named
		Response byEmail = api(Method.POST, "/v3/marketing/contacts/search/emails",
				"{\"emails\":[\"ANN@WORK.EXAMPLE\",\"bob@example.com\",\"dave@example.com\"]}");
		assertThat(byEmail.getStatusCode()).as(byEmail.getBody()).isEqualTo(200);
		JsonNode result = json(byEmail).get("result");
		assertThat(result.get("ann@work.example").get("contact").get("first_name").asString()).isEqualTo("Ann");
		assertThat(result.get("bob@example.com").get("contact").get("list_ids").get(0).asString()).isEqualTo(listId);
		assertThat(result.get("dave@example.com").get("error").asString()).isEqualTo("contact not found");

		// and a search SendGrid would refuse is a 400 naming the query
		Response refused = api(Method.POST, "/v3/marketing/contacts/search", "{\"query\":\"emial = 'x'\"}");
		assertThat(refused.getStatusCode()).isEqualTo(400);
		assertThat(json(refused).get("errors").get(0).get("field").asString()).isEqualTo("query");
	}

	private Response api(Method method, String endpoint, String body) throws IOException {
		Request request = new Request();
		request.setMethod(method);
		request.setEndpoint(endpoint.substring("/v3/".length()));
		request.setBody(body);
		Response response = this.sendGrid.api(request);
		assertConforms(method.name(), endpoint, response.getStatusCode(), response.getHeaders().get("Content-Type"),
				response.getBody());
		return response;
	}

	private static JsonNode json(Response response) {
		return JSON.readTree(response.getBody());
	}

}

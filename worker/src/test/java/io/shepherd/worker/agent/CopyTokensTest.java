package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-copy tokens of the local API. */
class CopyTokensTest {
  private final CopyTokens tokens = new CopyTokens();

  @Test
  void aTokenIs256RandomBitsAndNamesItsCopy() {
    String token = tokens.issue("i1");

    assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
    assertThat(tokens.instanceOf(token)).contains("i1");
  }

  @Test
  void eachCopyHasItsOwnTokenAndATokenNamesOnlyItsOwnCopy() {
    String one = tokens.issue("i1");
    String two = tokens.issue("i2");

    assertThat(one).isNotEqualTo(two);
    assertThat(tokens.instanceOf(one)).contains("i1");
    assertThat(tokens.instanceOf(two)).contains("i2");
  }

  @Test
  void aCopyRestartedInPlaceKeepsItsToken() {
    String first = tokens.issue("i1");

    assertThat(tokens.issue("i1")).isEqualTo(first);
  }

  @Test
  void unknownMissingAndAlteredTokensNameNoCopy() {
    String token = tokens.issue("i1");
    String altered = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);

    assertThat(tokens.instanceOf(null)).isEmpty();
    assertThat(tokens.instanceOf("")).isEmpty();
    assertThat(tokens.instanceOf("i1")).isEmpty();
    assertThat(tokens.instanceOf(altered)).isEmpty();
  }

  @Test
  void theTokenOfACopyThatEndedIsGoodForNothingAndANewCopyGetsANewOne() {
    String token = tokens.issue("i1");

    tokens.forget("i1");

    assertThat(tokens.instanceOf(token)).isEmpty();
    assertThat(tokens.issue("i1")).isNotEqualTo(token);
  }

  @Test
  void retainForgetsEveryTokenButThoseOfLiveCopies() {
    String kept = tokens.issue("i1");
    String gone = tokens.issue("i2");

    tokens.retain(Set.of("i1"));

    assertThat(tokens.instanceOf(kept)).contains("i1");
    assertThat(tokens.instanceOf(gone)).isEmpty();
    assertThat(tokens.size()).isEqualTo(1);
  }
}

package io.shepherd.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.Role;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The shape of token secrets, and that only the secret a record was issued with matches it. */
class TokenSecretsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static TokenSecrets.Issued issue(Random random) {
    return TokenSecrets.issue(random, "ci", Role.OPERATOR, NOW, Optional.of("admin"));
  }

  @Test
  void aSecretNamesItsTokenAndCarries256RandomBits() {
    TokenSecrets.Issued issued = issue(new SecureRandom());
    String secret = issued.secret();
    assertThat(secret).startsWith("shp_").hasSize(4 + 16 + 1 + 43);
    assertThat(TokenSecrets.idOf(secret)).contains(issued.record().id());
    assertThat(java.util.Base64.getUrlDecoder().decode(secret.substring(21))).hasSize(32);
    assertThat(issued.record().sha256()).hasSize(64).doesNotContain(secret.substring(21));
    assertThat(issued.record()).extracting(TokenRecord::name, TokenRecord::role, TokenRecord::created,
        TokenRecord::createdBy).containsExactly("ci", Role.OPERATOR, NOW, Optional.of("admin"));
  }

  @Test
  void onlyTheIssuedSecretMatchesItsRecord() {
    Random random = new Random(7);
    TokenSecrets.Issued a = issue(random);
    TokenSecrets.Issued b = issue(random);
    assertThat(TokenSecrets.matches(a.record(), a.secret())).isTrue();
    assertThat(TokenSecrets.matches(a.record(), b.secret())).isFalse();
    String lastCharChanged = a.secret().substring(0, a.secret().length() - 1)
        + (a.secret().endsWith("A") ? "B" : "A");
    assertThat(TokenSecrets.matches(a.record(), lastCharChanged)).isFalse();
    assertThat(TokenSecrets.matches(a.record(), a.secret() + " ")).isFalse();
  }

  @Test
  void aRecordWithACorruptHashMatchesNothing() {
    TokenSecrets.Issued a = issue(new Random(3));
    TokenRecord corrupt = new TokenRecord(a.record().id(), "ci", Role.ADMIN, "not hex", NOW, Optional.empty());
    assertThat(TokenSecrets.matches(corrupt, a.secret())).isFalse();
  }

  @Test
  void everyIssuedTokenHasAnIdOfItsOwn() {
    Random random = new SecureRandom();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(issue(random).record().id());
    }
    assertThat(ids).hasSize(1000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "shp_", "shp_aaaaaaaaaaaaaaaa", "shp_aaaaaaaaaaaaaaaa_short",
      "shp_AAAAAAAAAAAAAAAA_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
      "xyz_aaaaaaaaaaaaaaaa_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
      "shp_aaaaaaaaaaaaaaaa_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk=",
      "shp_aaaaaaaaaaaaaaaa_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk/",
      "shp_aaaaaaaa/aaaaaaa_kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"})
  void aMalformedSecretNamesNoToken(String secret) {
    assertThat(TokenSecrets.idOf(secret)).isEmpty();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({"aaaaaaaaaaaaaaaa,true", "abcdefghijklmn27,true", "aaaaaaaaaaaaaaa,false", "aaaaaaaaaaaaaaaaa,false",
      "AAAAAAAAAAAAAAAA,false", "aaaaaaaaaaaaaaa1,false", "..,false", "aaaaaaaa/aaaaaaa,false"})
  void onlyWellFormedIdsBecomePaths(String id, boolean ok) {
    assertThat(TokenSecrets.isId(id)).isEqualTo(ok);
  }
}

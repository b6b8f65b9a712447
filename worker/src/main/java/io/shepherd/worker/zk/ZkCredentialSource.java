package io.shepherd.worker.zk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a ZooKeeper digest identity's password comes from: exactly one of {@code password} (inline),
 * {@code passwordFile} (its first line) or {@code passwordEnv} (an environment variable). With {@code generate}, a
 * missing {@code passwordFile} is created with a random password, readable by its owner only (0600); the log says
 * where, never what.
 *
 * @param user         the digest user
 * @param password     the password itself, or null
 * @param passwordFile a file holding it, or null
 * @param passwordEnv  an environment variable holding it, or null
 * @param generate     create {@code passwordFile} with a random password if it does not exist
 */
public record ZkCredentialSource(String user, String password, Path passwordFile, String passwordEnv,
    boolean generate) {
  private static final Logger LOG = LoggerFactory.getLogger(ZkCredentialSource.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final int GENERATED_BYTES = 24;

  /**
   * The credential, reading or generating its password.
   *
   * @throws IllegalArgumentException naming the field ({@code user}, {@code password}, {@code passwordFile},
   *                                  {@code passwordEnv}, {@code generate}) that is wrong
   */
  public ZkCredential resolve(Map<String, String> env) {
    if (user == null || user.isBlank() || user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("user: required, a name without ':'");
    }
    int sources = (password != null ? 1 : 0) + (passwordFile != null ? 1 : 0) + (passwordEnv != null ? 1 : 0);
    if (sources != 1) {
      throw new IllegalArgumentException("password: give exactly one of password, passwordFile, passwordEnv");
    }
    if (generate && passwordFile == null) {
      throw new IllegalArgumentException("generate: only with passwordFile");
    }
    if (password != null) {
      return credential(password, "password");
    }
    if (passwordEnv != null) {
      String value = env.get(passwordEnv);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("passwordEnv: the environment variable " + passwordEnv + " is not set");
      }
      return credential(value.strip(), "passwordEnv");
    }
    return credential(readOrGenerate(), "passwordFile");
  }

  private ZkCredential credential(String secret, String field) {
    if (secret.isEmpty()) {
      throw new IllegalArgumentException(field + ": the password is empty");
    }
    return new ZkCredential(user, secret);
  }

  private String readOrGenerate() {
    if (generate && !Files.exists(passwordFile)) {
      try {
        generateFile();
      } catch (FileAlreadyExistsException e) {
        LOG.debug("{} created concurrently", passwordFile);
      } catch (IOException e) {
        throw new IllegalArgumentException("passwordFile: cannot create " + passwordFile + ": " + e.getMessage());
      }
    }
    try {
      if (isPosix() && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(passwordFile))) {
        LOG.warn("{} holds the ZooKeeper password of {} and can be read by others than its owner: chmod 600 it",
            passwordFile, user);
      }
      String text = Files.readString(passwordFile, StandardCharsets.UTF_8);
      return text.lines().findFirst().orElse("").strip();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("passwordFile: " + passwordFile + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException("passwordFile: " + passwordFile + " cannot be read: " + e.getMessage());
    }
  }

  private void generateFile() throws IOException {
    Path dir = passwordFile.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    byte[] bytes = new byte[GENERATED_BYTES];
    new SecureRandom().nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    if (isPosix()) {
      Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } else {
      Files.createFile(passwordFile);
    }
    Files.writeString(passwordFile, secret + "\n", StandardCharsets.UTF_8);
    LOG.info("generated the ZooKeeper password of {} in {} (readable by this user only)", user,
        passwordFile.toAbsolutePath());
  }

  private static boolean isPosix() {
    return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  @Override
  public String toString() {
    return "ZooKeeper credential of " + user;
  }
}

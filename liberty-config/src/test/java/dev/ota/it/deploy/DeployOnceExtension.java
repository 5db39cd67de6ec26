package dev.ota.it.deploy;

import io.openliberty.arquillian.managed.WLPManagedContainer;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/** Puts {@link DeployOnceContainer} in the place of the Liberty managed container. */
public final class DeployOnceExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.override(DeployableContainer.class, WLPManagedContainer.class, DeployOnceContainer.class);
    }
}

/**
 * The app's wiring: {@link io.viewpush.app.assembly.Assembly} builds the data source, the JDBC
 * store, the HTTP transport, the engine and the API server, in one explicit place.
 */
package io.viewpush.app.assembly;

global using Xunit;
global using NagrywanieRozmow.Tests.Infrastructure;
global using NagrywanieRozmow.Core;
